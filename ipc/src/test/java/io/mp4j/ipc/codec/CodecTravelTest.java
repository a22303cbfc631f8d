package io.mp4j.ipc.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.Serializable;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the codec carries (java.time, Optional, users' modules) and what it refuses in the sender, naming why. */
class CodecTravelTest {
    record Booking(String who, LocalDate day, Duration length, Optional<String> note, Instant made, OptionalInt seats) {}

    record Holder(String name, ReentrantLock lock) {}

    record Counters(List<AtomicInteger> counters) {}

    /** No constructor Jackson can use: its only one takes arguments, and it is no record. */
    static final class NoUsableConstructor {
        private final int x;

        NoUsableConstructor(int x) { this.x = x; }

        int x() { return x; }
    }

    record Wrapper(String label, NoUsableConstructor inner) {}

    record NotRegistered(int v) {}

    record RegisteredForTest(int v) {}

    static <T> T roundTrip(T value, Type declared) {
        @SuppressWarnings("unchecked") T back = (T) Codec.decode(Codec.encode(value, declared), declared);
        return back;
    }

    @Test
    void shouldCarryJavaTimeValuesAndOptionalsInRecordsAndWhereObjectIsDeclared() {
        Booking b = new Booking("ann", LocalDate.of(2026, 2, 28), Duration.ofMinutes(90), Optional.of("window"),
                Instant.parse("2026-01-02T03:04:05.123456789Z"), OptionalInt.of(2));
        assertThat(roundTrip(b, Booking.class)).isEqualTo(b);
        Booking empty = new Booking("bob", LocalDate.of(2026, 3, 1), Duration.ZERO, Optional.empty(), Instant.EPOCH, OptionalInt.empty());
        assertThat(roundTrip(empty, Booking.class)).isEqualTo(empty);
        assertThat(roundTrip(LocalDate.of(2026, 2, 28), Object.class)).isEqualTo(LocalDate.of(2026, 2, 28));
        assertThat(roundTrip(LocalDateTime.of(2026, 2, 28, 13, 14), Object.class)).isEqualTo(LocalDateTime.of(2026, 2, 28, 13, 14));
        assertThat(roundTrip(Optional.of(5), Object.class)).isEqualTo(Optional.of(5));
        assertThat(roundTrip(new int[]{1, 2}, Object.class)).isEqualTo(new int[]{1, 2});
    }

    @Test
    void shouldUseAJacksonModuleThatTheClassPathProvidesByServiceLoader() {
        MoneyModule.Money m = MoneyModule.Money.parse("12.50 EUR");
        byte[] slot = Codec.encode(m, MoneyModule.Money.class);
        assertThat(Codec.decode(slot, MoneyModule.Money.class)).isEqualTo(m);
        assertThat(Codec.mapper().getRegisteredModuleIds()).contains("test-money");
    }

    @Test
    void shouldRefuseJdkConcurrencyObjectsNamingTheCrossProcessEquivalent() {
        assertRefused(new ReentrantLock(), "ReentrantLock", "ctx.rlock()");
        assertRefused(new ReentrantReadWriteLock(), "ReentrantReadWriteLock", "ctx.lock()");
        assertRefused(new ReentrantLock().newCondition(), "Condition", "ctx.condition()");
        assertRefused(new Semaphore(2), "Semaphore", "ctx.semaphore(");
        assertRefused(new CountDownLatch(1), "CountDownLatch", "ctx.event()");
        assertRefused(new CyclicBarrier(2), "CyclicBarrier", "ctx.barrier(");
        assertRefused(new AtomicInteger(), "AtomicInteger", "ctx.intValue(");
        assertRefused(new AtomicLong(), "AtomicLong", "ctx.longValue(");
        assertRefused(new AtomicBoolean(), "AtomicBoolean", "ctx.booleanValue(");
        assertRefused(new LongAdder(), "LongAdder", "ctx.longValue(");
        assertRefused(new ArrayBlockingQueue<>(1), "ArrayBlockingQueue", "ctx.queue()");
        assertRefused(new CompletableFuture<>(), "CompletableFuture", "future.get()");
        assertRefused(Thread.currentThread(), "java.lang.Thread", "ctx.process(");
        try (var ex = Executors.newSingleThreadExecutor()) {
            assertRefused(ex, "Executor", "ctx.pool(");
        }
        assertRefused(Stream.of(1, 2), "Stream", "toList()");
        assertRefused(new ByteArrayInputStream(new byte[0]), "ByteArrayInputStream", "pass a path");
    }

    private static void assertRefused(Object value, String named, String instead) {
        assertThatThrownBy(() -> Codec.encode(value, Object.class)).isInstanceOf(CodecException.class)
                .hasMessageContaining(named).hasMessageContaining("cannot travel").hasMessageContaining(instead);
        assertThatThrownBy(() -> Codec.encode(value, value.getClass())).isInstanceOf(CodecException.class)
                .hasMessageContaining(instead);
    }

    @Test
    void shouldRefuseAConcurrencyObjectInsideARecordOrAListNamingWhereItIs() {
        assertThatThrownBy(() -> Codec.encode(new Holder("h", new ReentrantLock()), Holder.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("ReentrantLock").hasMessageContaining("ctx.rlock()")
                .hasMessageContaining("\"lock\"");
        assertThatThrownBy(() -> Codec.encode(new Counters(List.of(new AtomicInteger(1))), Counters.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("AtomicInteger").hasMessageContaining("ctx.intValue(");
        List<Object> list = new ArrayList<>(List.of(1, new Semaphore(1)));
        assertThatThrownBy(() -> Codec.encode(list, Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("Semaphore").hasMessageContaining("ctx.semaphore(");
    }

    @Test
    void shouldRefuseInTheSenderAClassThatJacksonCannotReCreate() {
        assertThatThrownBy(() -> Codec.encode(new NoUsableConstructor(3), NoUsableConstructor.class))
                .isInstanceOf(CodecException.class).hasMessageContaining(NoUsableConstructor.class.getName())
                .hasMessageContaining("could not be re-created in another process").hasMessageContaining("constructor");
        assertThatThrownBy(() -> Codec.encode(new Wrapper("w", new NoUsableConstructor(3)), Wrapper.class))
                .isInstanceOf(CodecException.class).hasMessageContaining(NoUsableConstructor.class.getName())
                .hasMessageContaining("could not be re-created");
        // and every later time, not only the first
        assertThatThrownBy(() -> Codec.encode(new NoUsableConstructor(4), NoUsableConstructor.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("could not be re-created");
    }

    @Test
    void shouldRefuseInTheSenderAClassNameTheReceiverWouldNotAcceptAndAcceptItOnceRegistered() {
        assertThatThrownBy(() -> Codec.encode(new NotRegistered(1), Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining(NotRegistered.class.getName())
                .hasMessageContaining("Codec.register(NotRegistered.class)");
        assertThat(roundTrip(new NotRegistered(1), NotRegistered.class)).isEqualTo(new NotRegistered(1));
        Codec.register(RegisteredForTest.class);
        assertThat(roundTrip(new RegisteredForTest(2), Object.class)).isEqualTo(new RegisteredForTest(2));
        assertThat(Codec.registeredNames()).contains(RegisteredForTest.class.getName());
    }

    @Test
    void shouldRefuseALambdaAsAValue() {
        Function<Integer, Integer> f = x -> x + 1;
        assertThatThrownBy(() -> Codec.encode(f, Object.class)).isInstanceOf(CodecException.class)
                .hasMessageContaining("lambda");
        Serializable g = (Function<Integer, Integer> & Serializable) x -> x + 1;
        assertThatThrownBy(() -> Codec.encode(g, Object.class)).isInstanceOf(CodecException.class).hasMessageContaining("lambda");
    }

    @Test
    void shouldLeaveTheNextSlotReadableAfterARefusedClassName() throws Exception {
        var bos = new ByteArrayOutputStream();
        try (var out = new DataOutputStream(bos)) {
            out.writeByte(21); // JACKSON_TAGGED, as a sender with other registrations would write it
            Codec.writeString(out, NotRegistered.class.getName());
            byte[] body = Codec.mapper().writeValueAsBytes(new NotRegistered(5));
            out.writeInt(body.length);
            out.write(body);
            Codec.writeSlot(out, "next", String.class);
        }
        try (var in = new DataInputStream(new ByteArrayInputStream(bos.toByteArray()))) {
            assertThatThrownBy(() -> Codec.readSlot(in, Object.class, getClass().getClassLoader()))
                    .isInstanceOf(CodecException.class).hasMessageContaining("refused");
            assertThat(Codec.readSlot(in, String.class, getClass().getClassLoader())).isEqualTo("next");
        }
    }

    @Test
    void shouldLookForJacksonModulesOncePerClassPathOfJarsAndAgainWhenAJarChanges(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path a = java.nio.file.Files.writeString(tmp.resolve("a.jar"), "a"), b = java.nio.file.Files.writeString(tmp.resolve("b.jar"), "b");
        String cp = a + java.io.File.pathSeparator + b;
        java.nio.file.Path cache = tmp.resolve("cache");
        java.util.List<String> found = JacksonModules.findModuleNames(cp, cache);
        assertThat(found).contains("io.mp4j.ipc.codec.MoneyModule");
        java.nio.file.Path file;
        try (var files = java.nio.file.Files.list(cache)) {
            file = files.filter(f -> f.toString().endsWith(".txt")).findFirst().orElseThrow();
        }
        // what the next JVM reads instead of opening every jar: proved by a name no jar holds
        java.nio.file.Files.writeString(file, JacksonModules.moduleCacheKey(cp) + "\nexample.KeptModule\n");
        assertThat(JacksonModules.findModuleNames(cp, cache)).containsExactly("example.KeptModule");
        assertThat(b.toFile().setLastModified(b.toFile().lastModified() - 10_000)).isTrue();
        assertThat(JacksonModules.findModuleNames(cp, cache)).as("a jar changed: looked for again").isEqualTo(found);
        assertThat(JacksonModules.moduleCacheKey(cp + java.io.File.pathSeparator + tmp)).as("a directory on the class path: no cache").isNull();
    }
}
