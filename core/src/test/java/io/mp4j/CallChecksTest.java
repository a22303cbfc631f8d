package io.mp4j;

import io.mp4j.CheckedTargets.Booking;
import io.mp4j.CheckedTargets.NoUsableConstructor;
import io.mp4j.CheckedTargets.Picky;
import io.mp4j.CheckedTargets.Point;
import io.mp4j.CheckedTargets.RegisteredInParent;
import io.mp4j.CheckedTargets.Service;
import io.mp4j.CheckedTargets.Unregistered;
import io.mp4j.function.Fn;
import io.mp4j.function.Fn2;
import io.mp4j.function.Task;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What fails at the call, in the caller, naming the culprit, instead of in a worker or child; what a worker
 * still cannot decode fails only that task; java.time, Optional and users' Jackson modules travel. In every
 * start method.
 */
class CallChecksTest {
    static List<StartMethod> methods() { return TestMethods.list(); }

    private static final Map<StartMethod, Pool> POOLS = new EnumMap<>(StartMethod.class);

    /** One worker per start method, shared by this class's tests. */
    static synchronized Pool pool(StartMethod m) {
        return POOLS.computeIfAbsent(m, k -> Multiprocessing.getContext(k).pool(1));
    }

    @AfterAll
    static void closePools() throws Exception {
        for (Pool p : POOLS.values()) p.terminate();
        for (Pool p : POOLS.values()) assertThat(p.join(10, TimeUnit.SECONDS)).isTrue();
    }

    static final Booking BOOKING = new Booking("ann", LocalDate.of(2026, 2, 28), Duration.ofMinutes(90), Optional.of("window"));

    @ParameterizedTest @MethodSource("methods")
    void shouldCarryARecordOfJavaTimeAndOptionalFieldsToAProcessAndThroughAPool(StartMethod m) throws Exception {
        Path file = io.mp4j.testkit.TestFiles.file("booking", ".txt");
        try {
            MpProcess p = Multiprocessing.getContext(m).process(CheckedTargets::writeBooking, BOOKING, file.toString());
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(Files.readString(file)).isEqualTo(BOOKING.toString());
        } finally {
            Files.deleteIfExists(file);
        }
        Booking next = new Booking("ann", LocalDate.of(2026, 3, 1), Duration.ofMinutes(91), Optional.of("window"));
        assertThat(pool(m).apply(CheckedTargets::nextDay, BOOKING)).isEqualTo(next);
        Booking none = new Booking("bob", LocalDate.of(2026, 12, 31), Duration.ZERO, Optional.empty());
        assertThat(pool(m).apply(CheckedTargets::nextDay, none).note()).isEmpty();
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldUseAJacksonModuleFoundByServiceLoaderInTheWorker(StartMethod m) throws Exception {
        assertThat(pool(m).apply(CheckedTargets::doubled, Point.of(3, 4))).isEqualTo(Point.of(6, 8));
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldRefuseAtTheCallWhatAWorkerCouldNotUseAndKeepThePoolWhole(StartMethod m) throws Exception {
        Pool pool = pool(m);
        long replaced = pool.stats().workersReplaced();
        assertThatThrownBy(() -> pool.apply(CheckedTargets::describe, new ReentrantLock()))
                .hasMessageContaining("item 0").hasMessageContaining("ReentrantLock").hasMessageContaining("ctx.rlock()");
        AtomicInteger counter = new AtomicInteger();
        assertThatThrownBy(() -> pool.applyAsync((Fn<Integer, Integer>) x -> x + counter.get(), 1))
                .isInstanceOf(CodecException.class).hasMessageContaining("captures").hasMessageContaining("AtomicInteger")
                .hasMessageContaining("ctx.intValue(");
        assertThatThrownBy(() -> pool.map(CheckedTargets::valueOf, List.of(new NoUsableConstructor(1))))
                .hasMessageContaining(NoUsableConstructor.class.getName()).hasMessageContaining("could not be re-created");
        // imap refuses an item at its position in the results (issue 23), still in the caller, before any worker sees it
        ResultIterator<String> unregistered = pool.imap(CheckedTargets::describe, List.of(new Unregistered(1)));
        assertThatThrownBy(unregistered::next).isInstanceOf(CompletionException.class).cause()
                .hasMessageContaining("item 0").hasMessageContaining(Unregistered.class.getName())
                .hasMessageContaining("Codec.register(Unregistered.class)");
        assertThat(unregistered.hasNext()).isFalse();
        Function<Integer, Integer> plain = x -> x + 1;
        assertThatThrownBy(() -> pool.map(plain::apply, List.of(1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("bound to a lambda").hasMessageContaining("java.util.function.Function");
        BiFunction<Integer, Integer, Integer> plain2 = Integer::sum;
        assertThatThrownBy(() -> pool.starmap((Fn2<Integer, Integer, Integer>) plain2::apply, List.of(List.of(1, 2))))
                .isInstanceOf(CodecException.class).hasMessageContaining("bound to a lambda");
        Service service = new Service(3);
        assertThatThrownBy(() -> pool.apply(service::times, 2))
                .isInstanceOf(CodecException.class).hasMessageContaining("bound to an instance of " + Service.class.getName())
                .hasMessageContaining("could not be re-created");
        assertThatThrownBy(() -> pool.map(new CheckedTargets.Counter().adder(), List.of(1)))
                .isInstanceOf(CodecException.class).hasMessageContaining("is a lambda that uses this")
                .hasMessageContaining(CheckedTargets.Counter.class.getName()).hasMessageContaining("ReentrantLock");
        try (ProcessPoolExecutor ex = Multiprocessing.getContext(m).processPoolExecutor(1)) {
            ReentrantLock lock = new ReentrantLock();
            assertThatThrownBy(() -> ex.submit((io.mp4j.function.Call<Boolean>) lock::isLocked))
                    .isInstanceOf(CodecException.class).hasMessageContaining("ReentrantLock").hasMessageContaining("ctx.rlock()");
        }
        assertThat(pool.apply(CheckedTargets::square, 5)).isEqualTo(25);
        assertThat(pool.stats().workersReplaced()).isEqualTo(replaced);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldRefuseAProcessLocalObjectForAProcessAtStartButPassItByReferenceToAThread(StartMethod m) throws Exception {
        Context ctx = Multiprocessing.getContext(m);
        ReentrantLock lock = new ReentrantLock();
        AtomicInteger count = new AtomicInteger();
        Task action = () -> count.incrementAndGet();
        Path file = io.mp4j.testkit.TestFiles.file("lock", ".txt");
        try {
            MpProcess p = ctx.process(CheckedTargets::tryTheLock, lock, file.toString());
            if (m.isProcess()) {
                assertThatThrownBy(p::start).hasMessageContaining("ReentrantLock").hasMessageContaining("ctx.rlock()");
                assertThat(p.pid()).isNull();
                assertThatThrownBy(() -> ctx.barrier(2, action, null))
                        .isInstanceOf(CodecException.class).hasMessageContaining("AtomicInteger").hasMessageContaining("ctx.intValue(");
            } else {
                lock.lock();
                try {
                    p.start();
                    p.join();
                } finally {
                    lock.unlock();
                }
                assertThat(Files.readString(file)).isEqualTo("held by another thread");
                assertThat(ctx.barrier(1, action, null).await()).isZero();
                assertThat(count.get()).isEqualTo(1);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldGiveChildrenTheParentsRegistrations(StartMethod m) throws Exception {
        Codec.register(RegisteredInParent.class);
        // a pool made now: its workers are launched with the registration
        try (Pool pool = Multiprocessing.getContext(m).pool(1)) {
            assertThat(pool.apply(CheckedTargets::className, new RegisteredInParent(7)))
                    .isEqualTo(RegisteredInParent.class.getName() + ":RegisteredInParent[v=7]");
        }
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldFailOnlyTheTaskAWorkerCannotDecodeAndKeepServing(StartMethod m) throws Exception {
        Pool pool = pool(m);
        List<Long> pids = pool.workerPids();
        long replaced = pool.stats().workersReplaced();
        ResultIterator<Integer> it = pool.imap(CheckedTargets::pickyValue, List.of(new Picky(1), new Picky(13), new Picky(3)));
        assertThat(it.next()).isEqualTo(1);
        assertThatThrownBy(it::next).isInstanceOf(CompletionException.class).cause().isInstanceOf(CodecException.class)
                .hasMessageContaining("argument 0 of CheckedTargets.pickyValue(Picky)").hasMessageContaining("13 is refused here");
        assertThat(it.next()).isEqualTo(3);
        // a function whose captured value the worker cannot decode: its tasks fail, the others run
        Picky thirteen = new Picky(13);
        assertThatThrownBy(() -> pool.apply((Fn<Integer, Integer>) x -> x + thirteen.v(), 1))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(CodecException.class).hasMessageContaining("13 is refused here");
        assertThat(pool.apply(CheckedTargets::square, 6)).isEqualTo(36);
        assertThat(pool.stats().workersReplaced()).isEqualTo(replaced);
        assertThat(pool.workerPids()).isEqualTo(pids);
    }

    @ParameterizedTest @MethodSource("methods")
    void shouldBreakThePoolNamingWhyWhenTheWorkerCannotDecodeTheInitializersArguments(StartMethod m) throws Exception {
        Pool pool = Multiprocessing.getContext(m).poolBuilder().processes(1).initializer(CheckedTargets::pickyInit, new Picky(13)).build();
        try {
            assertThatThrownBy(() -> pool.apply(CheckedTargets::square, 2))
                    .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("initializer")
                    .cause().isInstanceOf(CodecException.class).hasMessageContaining("13 is refused here");
        } finally {
            pool.terminate();
            assertThat(pool.join(10, TimeUnit.SECONDS)).isTrue();
        }
    }

}
