package io.mp4j;

import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Connections;
import io.mp4j.ipc.connection.Listener;
import io.mp4j.ipc.connection.Pipe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.EOFException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pipes and connections between a parent and a child. An end travels as a claim the parent's process serves over its
 * own socket, the same whichever way the child JVM started: every start method has a child talk through its ends,
 * a killed sender and the authkey; passing ends on (over a connection, to pool tasks, to initializers) is tested under
 * one JVM start method and THREAD.
 */
class PipeProcessTest {
    static Context ctx(StartMethod m) {
        try {
            return Multiprocessing.getContext(m).prewarm();
        } catch (UnsupportedOperationException e) {
            assumeTrue(false, "start method " + m + " is not built yet: " + e.getMessage());
            throw e;
        }
    }

    /** In a THREAD process the child holds this very object, so the parent must not close its copy. */
    static void closeParentsCopy(StartMethod m, Connection c) {
        if (m != StartMethod.THREAD) c.close();
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldTalkToAChildThroughEveryMethodOfItsEnds(StartMethod m) throws Exception {
        Context ctx = ctx(m);
        Pipe duplex = ctx.pipe(), oneWay = ctx.pipe(false);
        // Sent before the child attached. Receiving the first one here reads the other two ahead into this
        // process's buffer: they must move to the child with the end.
        duplex.first().send("early 1");
        duplex.first().send("early 2");
        duplex.first().send("early 3");
        assertThat(duplex.second().recv()).isEqualTo("early 1");

        MpProcess p = ctx.process(PipeTargets::serve, duplex.second(), oneWay.second());
        p.start();
        closeParentsCopy(m, duplex.second());
        closeParentsCopy(m, oneWay.second());
        Connection c = duplex.first();
        CompletableFuture<Integer> died = p.onExit();
        assertThat(Connections.wait(List.of(c, died), Duration.ofSeconds(60))).containsExactly(c);
        assertThat(c.recv()).isEqualTo(List.of("early 2", "early 3"));
        assertThat(Connections.wait(List.of(c, died), 10, TimeUnit.MILLISECONDS)).isEmpty();
        c.send(10);
        for (int i = 1; i <= 10; i++) assertThat(c.recv(Integer.class)).isEqualTo(i * i);
        c.send("hello");
        for (int i = 1; i <= 10; i++) assertThat(oneWay.first().recv()).isEqualTo("hello " + i);
        assertThatThrownBy(() -> oneWay.first().recv()).isInstanceOf(EOFException.class);
        c.send("bytes");
        c.sendBytes("abc".getBytes(), 1, 2);
        assertThat(new String(c.recvBytes(2))).isEqualTo("bc");
        c.send("point");
        c.send(new PipeTargets.Point(3, 4));
        assertThat(c.recv(PipeTargets.Point.class)).isEqualTo(new PipeTargets.Point(3, 4));
        c.send("big");
        byte[] big = new byte[64 << 20];
        for (int i = 0; i < big.length; i += 511) big[i] = (byte) (i * 31);
        c.sendBytes(big);
        assertThat(c.recv()).isEqualTo(List.of(big.length, Arrays.hashCode(big)));
        byte[] back = new byte[big.length];
        assertThat(c.recvBytesInto(back)).isEqualTo(big.length);
        assertThat(Arrays.equals(back, big)).isTrue();
        c.send("bye");
        assertThat(Connections.wait(List.of(died), Duration.ofSeconds(60))).as("a child's death ends a wait").containsExactly(died);
        assertThat(Connections.wait(List.of(c, died))).as("end-of-file makes a connection ready").containsExactly(c, died);
        assertThatThrownBy(c::recv).isInstanceOf(EOFException.class);
        p.join();
        assertThat(p.exitCode()).isZero();
        c.close();
        oneWay.close();
    }

    @ParameterizedTest
    @EnumSource(names = {"SPAWN", "THREAD"})
    void shouldSendAnEndOverAnotherConnectionWithWhatWasSentToItBefore(StartMethod m) throws Exception {
        Context ctx = ctx(m);
        Pipe ctrl = ctx.pipe(), data = ctx.pipe();
        MpProcess p = ctx.process(PipeTargets::squaresOverAnEndReceived, ctrl.second());
        p.start();
        closeParentsCopy(m, ctrl.second());
        data.first().send(4); // before the end travels
        ctrl.first().send(data.second());
        closeParentsCopy(m, data.second());
        assertThat(ctrl.first().recv()).isEqualTo("attached");
        for (int i = 1; i <= 4; i++) assertThat(data.first().recv(Integer.class)).isEqualTo(i * i);
        assertThatThrownBy(() -> data.first().recv()).as("the child closed the end it received").isInstanceOf(EOFException.class);
        p.join();
        assertThat(p.exitCode()).isZero();
        data.first().close();
        ctrl.first().close();
    }

    @ParameterizedTest
    @EnumSource(names = {"SPAWN", "THREAD"})
    void shouldPassEndsToPoolTasksAndDeliverWhatWasSentBeforeTheyAttached(StartMethod m) throws Exception {
        Context ctx = ctx(m);
        Pool pool = ctx.poolBuilder().processes(1).build();
        try {
            for (int round = 1; round <= 2; round++) { // the same worker attaches a second pair of ends
                Pipe duplex = ctx.pipe(), oneWay = ctx.pipe(false);
                duplex.first().send("early " + round);
                AsyncResult<Integer> r = pool.applyAsync(PipeTargets::squaresInTask, duplex.second(), oneWay.second());
                closeParentsCopy(m, duplex.second());
                closeParentsCopy(m, oneWay.second());
                Connection c = duplex.first();
                assertThat(c.recv()).isEqualTo("got early " + round);
                c.send(round * 5);
                for (int i = 1; i <= round * 5; i++) assertThat(c.recv(Integer.class)).isEqualTo(i * i);
                assertThat(oneWay.first().recv()).isEqualTo("done " + round * 5);
                assertThat(r.get(60, TimeUnit.SECONDS)).isEqualTo(round * 5);
                assertThatThrownBy(c::recv).as("the task closed its end").isInstanceOf(EOFException.class);
                assertThatThrownBy(() -> oneWay.first().recv()).isInstanceOf(EOFException.class);
                c.close();
                oneWay.first().close();
            }
        } finally {
            pool.terminate();
            assertThat(pool.join(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"SPAWN", "THREAD"})
    void shouldHandAnEndToTheInitializerOfEveryWorkerIncludingReplacements(StartMethod m) throws Exception {
        Context ctx = ctx(m);
        Pipe log = ctx.pipe(false);
        // the parent keeps its copy open while the pool may start workers: each one gets the end anew
        Pool pool = ctx.poolBuilder().processes(2).maxTasksPerChild(1).initializer(PipeTargets::announceInit, log.second()).build();
        try {
            // one task per worker: the third runs on a replacement
            assertThat(pool.map(PipeTargets::twice, List.of(1, 2, 3), 1)).containsExactly(2, 4, 6);
            for (int i = 0; i < 3; i++) assertThat(log.first().recv()).as("initializer " + i).isEqualTo("init");
        } finally {
            pool.terminate();
            assertThat(pool.join(10, TimeUnit.SECONDS)).isTrue();
        }
        if (m.isProcess()) {
            // closed while the pool still starts workers: the pool breaks, naming why, rather than start workers without it
            Pool broken = ctx.poolBuilder().processes(1).maxTasksPerChild(1).initializer(PipeTargets::announceInit, log.second()).build();
            log.second().close(); // the first worker's claim was made with the pool; its replacement cannot get one
            try {
                assertThatThrownBy(() -> {
                    broken.apply(PipeTargets::twice, 1);
                    broken.apply(PipeTargets::twice, 2);
                }).hasStackTraceContaining("cannot hand the initializer's arguments")
                        .hasStackTraceContaining("a closed connection cannot travel");
            } finally {
                broken.terminate();
                assertThat(broken.join(10, TimeUnit.SECONDS)).isTrue();
            }
        }
        log.close();
    }

    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = "THREAD", mode = EnumSource.Mode.EXCLUDE)
    void shouldThrowEofNotAPartialMessageWhenTheSenderIsKilledMidMessageAndBrokenPipeOnSend(StartMethod m) throws Exception {
        Context ctx = ctx(m);
        Pipe pipe = ctx.pipe();
        MpProcess p = ctx.process(PipeTargets::sendForever, pipe.second(), 64 << 20);
        p.start();
        pipe.second().close();
        Connection c = pipe.first();
        assertThat(c.poll(60, TimeUnit.SECONDS)).as("the child started sending").isTrue();
        CompletableFuture<Integer> died = p.onExit();
        assertThat(Connections.wait(List.of(died), 10, TimeUnit.MILLISECONDS)).isEmpty();
        p.kill();
        assertThat(Connections.wait(List.of(died), Duration.ofSeconds(60))).containsExactly(died);
        assertThat(died.get()).isEqualTo(-9);
        assertThatThrownBy(c::recvBytes).isInstanceOf(EOFException.class).hasMessageContaining("in the middle of a message");
        assertThatThrownBy(c::recvBytes).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> c.send("anyone there?")).as("sending to the dead child")
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("broken pipe");
        c.close();
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldAcceptAChildThatKnowsTheKeyAndRefuseOneThatDoesNot(StartMethod m) throws Exception {
        Context ctx = ctx(m);
        try (Listener listener = ctx.listener(); Pipe report = ctx.pipe()) {
            String path = ((UnixDomainSocketAddress) listener.address()).getPath().toString();
            assertThat(path).startsWith(ctx.resourceDir().toString());
            MpProcess p = ctx.process(PipeTargets::connectTwice, path, report.second());
            p.start();
            assertThatThrownBy(listener::accept).isInstanceOf(AuthenticationException.class);
            assertThat(report.first().recv()).isEqualTo("refused");
            try (Connection c = listener.accept()) {
                assertThat(c.recv()).isEqualTo("hi from " + p.getName());
                c.send("welcome");
            }
            assertThat(report.first().recv()).isEqualTo("welcome");
            p.join();
            assertThat(p.exitCode()).isZero();
        }
        assertThat(Files.list(ctx.resourceDir()).map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("listener-"));
    }
}
