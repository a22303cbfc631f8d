package io.mp4j.managers;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.StartMethod;
import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.managers.ManagerTargets.Counter;
import io.mp4j.testkit.Await;
import io.mp4j.worker.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A manager's life: shutdown, a killed server, a second JVM with the right and a wrong key, serving in a thread. */
class ManagerLifecycleTest {
    static List<StartMethod> methods() { return Methods.all(); }

    static List<StartMethod> processMethods() { return Methods.processes(); }

    @ParameterizedTest @MethodSource("methods")
    void shutdownEndsTheServerAndAWaitingProxyAndLeavesNothingBehindAndItsProxiesThrowAtOnce(StartMethod m) throws Exception {
        SyncManager manager = Multiprocessing.getContext(m).manager();
        DictProxy<String, Integer> d = manager.dict();
        d.put("a", 1);
        QueueProxy<String> q = manager.queue(String.class);
        CompletableFuture<Thread> taker = new CompletableFuture<>();
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
            for (int i = 0; i < ManagerClient.CALLS_BEFORE_SHARED; i++) q.size(); // waits on the shared-memory channel
            taker.complete(Thread.currentThread());
            try {
                return q.take();
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        ManagerObjectsTest.awaitWaiting(taker.get(10, TimeUnit.SECONDS));
        MpProcess server = manager.serverProcess();
        Path socket = ((UnixDomainSocketAddress) manager.address()).getPath();
        assertThat(socket).exists();
        manager.shutdown();
        assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ManagerUnavailableException.class);
        assertThat(server.isAlive()).isFalse();
        assertThat(socket).doesNotExist();
        if (m.isProcess()) assertThat(leftBy(server.pid())).isEmpty();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> d.get("a")).isInstanceOf(ManagerUnavailableException.class).hasMessageContaining(socket.toString());
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThatThrownBy(manager::dict).isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
        manager.shutdown(); // idempotent
    }

    /** Files and directories named after {@code pid} in /dev/shm and /tmp (a context directory, a socket). */
    static List<Path> leftBy(long pid) throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (Path dir : List.of(Path.of("/dev/shm"), Path.of(System.getProperty("java.io.tmpdir")))) {
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().contains("-" + pid + "-")).forEach(found::add);
            }
        }
        return found;
    }

    @ParameterizedTest @MethodSource("processMethods")
    void aManagerKilledWhileProxiesWaitEndsTheirWaitsAtOnceHereAndInAChild(StartMethod m) throws Exception {
        Context ctx = Multiprocessing.getContext(m);
        SyncManager manager = ctx.manager();
        try {
            QueueProxy<String> q = manager.queue(String.class);
            EventProxy childWaits = manager.event();
            MpProcess child = ctx.process(ManagerTargets::takeOrExit, q, childWaits);
            child.start();
            CompletableFuture<String> here = CompletableFuture.supplyAsync(() -> {
                try {
                    for (int i = 0; i < ManagerClient.CALLS_BEFORE_SHARED; i++) q.size(); // here on the channel, the child on the socket
                    return q.take();
                } catch (InterruptedException e) {
                    return "interrupted";
                }
            });
            assertThat(childWaits.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(here).isNotDone();
            manager.serverProcess().kill();
            assertThatThrownBy(() -> here.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(ManagerUnavailableException.class).hasMessageContaining("unavailable");
            assertThat(child.join(Duration.ofSeconds(30))).isTrue();
            assertThat(child.exitCode()).isEqualTo(ManagerTargets.SAW_UNAVAILABLE);
            long t0 = System.nanoTime();
            assertThatThrownBy(q::size).isInstanceOf(ManagerUnavailableException.class).hasMessageContaining("nobody listens there");
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        } finally {
            manager.shutdown();
        }
        assertThat(manager.address()).isInstanceOf(UnixDomainSocketAddress.class);
        assertThat(((UnixDomainSocketAddress) manager.address()).getPath()).doesNotExist();
    }

    @Test
    void aManagerOnTheLoopbackServesASecondJvmWithItsKeyAndRefusesAnotherKey() throws Exception {
        byte[] key = "a key for the test".getBytes(StandardCharsets.UTF_8);
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
        try (SyncManager m = ctx.managerBuilder().loopback(0).authkey(key)
                .register("Counter", Counter.class, ManagerTargets::sharedCounter).start()) {
            InetSocketAddress a = (InetSocketAddress) m.address();
            assertThat(a.getAddress().isLoopbackAddress()).isTrue();
            assertThat(a.getPort()).isPositive();
            AutoProxy<Counter> counter = m.create("Counter", Counter.class);
            counter.get().add(1);
            List<String> cmd = JvmFlags.command(RemoteClientMain.class.getName(), List.of(),
                    a.getHostString(), Integer.toString(a.getPort()), HexFormat.of().formatHex(key));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) p.destroyForcibly();
            String text = out.get(10, TimeUnit.SECONDS);
            assertThat(ended).as(text).isTrue();
            assertThat(p.exitValue()).as(text).isZero();
            assertThat(text.lines().filter(l -> !l.startsWith("SLF4J"))).containsExactly("wrong key: refused", "counter 11", "child exit 0 put 111");
            assertThat(counter.get().value()).isEqualTo(111);
            // the same object for every create() of a factory that returns one object
            assertThat(m.create("Counter", Counter.class)).isEqualTo(counter);
        }
    }

    @Test
    void aWrongKeyIsRefusedAtConnectAndTheManagerGoesOnServing() throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.THREAD);
        try (SyncManager m = ctx.managerBuilder().loopback(0).authkey(new byte[]{1, 2, 3}).start()) {
            assertThatThrownBy(() -> ctx.managerBuilder().address(m.address()).authkey(new byte[]{9}).connect())
                    .isInstanceOf(AuthenticationException.class);
            assertThatThrownBy(() -> ctx.managerBuilder().address(m.address()).connect()) // the context's own key
                    .isInstanceOf(AuthenticationException.class);
            try (SyncManager other = ctx.managerBuilder().address(m.address()).authkey(new byte[]{1, 2, 3}).connect()) {
                ListProxy<Integer> l = other.list(Integer.class);
                l.add(5);
                assertThat(l).containsExactly(5);
            }
            assertThat(m.list(List.of(1))).containsExactly(1);
        }
    }

    @Test
    void aManagerServedOnEveryInterfaceIsReachedThroughTheMachinesOwnAddress() throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.THREAD);
        byte[] key = {4, 2};
        try (SyncManager m = ctx.managerBuilder().address(new InetSocketAddress("0.0.0.0", 0)).authkey(key).start()) {
            int port = ((InetSocketAddress) m.address()).getPort();
            java.net.InetAddress own = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                    .filter(n -> { try { return n.isUp() && !n.isLoopback(); } catch (java.net.SocketException e) { return false; } })
                    .flatMap(n -> java.util.Collections.list(n.getInetAddresses()).stream())
                    .filter(a -> a instanceof java.net.Inet4Address).findFirst().orElse(java.net.InetAddress.getLoopbackAddress());
            try (SyncManager there = ctx.managerBuilder().address(new InetSocketAddress(own, port)).authkey(key).connect()) {
                DictProxy<String, String> d = there.dict();
                d.put("via", own.getHostAddress());
                assertThat(d).containsEntry("via", own.getHostAddress());
                assertThat(d.managerAddress()).isEqualTo("tcp:" + own.getHostAddress() + ":" + port);
            }
        }
    }

    @Test
    void nobodyServingAtTheAddressFailsConnectClearly() throws Exception {
        Path sock = Multiprocessing.getContext(StartMethod.THREAD).resourceDir().resolve("no-manager.sock");
        assertThatThrownBy(() -> Multiprocessing.getContext(StartMethod.THREAD).managerBuilder().address(UnixDomainSocketAddress.of(sock)).connect())
                .isInstanceOf(java.net.ConnectException.class).hasMessageContaining("no-manager.sock");
    }

    /** A client of the manager at {@code sock}, or null while nobody listens there yet. */
    private static SyncManager tryConnect(Context ctx, Path sock) {
        try {
            return ctx.managerBuilder().address(UnixDomainSocketAddress.of(sock)).connect();
        } catch (java.net.ConnectException e) {
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void serveForeverServesInTheCallingThreadUntilItIsInterruptedOrShutDown() throws Exception {
        Context ctx = Multiprocessing.getContext(StartMethod.THREAD);
        for (String how : List.of("interrupt", "shutdown")) {
            Path sock = ctx.resourceDir().resolve("served-" + how + "-" + System.nanoTime() + ".sock");
            SyncManager server = ctx.managerBuilder().address(UnixDomainSocketAddress.of(sock))
                    .register("Counter", Counter.class, ManagerTargets.CounterImpl::new).build();
            CompletableFuture<Void> serving = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().name("serve-forever").start(() -> {
                try {
                    server.serveForever();
                    serving.complete(null);
                } catch (Throwable e) {
                    serving.completeExceptionally(e);
                }
            });
            SyncManager client = Await.until("the manager serving in the other thread accepts a client",
                    () -> tryConnect(ctx, sock), java.util.Objects::nonNull);
            assertThat(client.create("Counter", Counter.class).get().add(3)).isEqualTo(3);
            if (how.equals("interrupt")) t.interrupt();
            else server.shutdown();
            serving.get(10, TimeUnit.SECONDS);
            assertThat(sock).doesNotExist();
            assertThatThrownBy(server::dict).isInstanceOf(IllegalStateException.class).hasMessageContaining("shut down");
            client.close();
        }
    }
}
