package io.mp4j.core;

import io.mp4j.ipc.connection.Client;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.wire.Frames;
import io.mp4j.worker.ChildMain;
import io.mp4j.worker.ExitStatus;
import io.mp4j.worker.JvmFlags;
import io.mp4j.worker.JvmSpec;
import io.mp4j.worker.forkserver.ForkServerMain;
import io.mp4j.worker.forkserver.ForkServerMessages;

import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import java.util.function.Supplier;

/**
 * FORKSERVER: a fork-server JVM ({@link ForkServerMain}) keeps warm JVMs with the preloaded classes; {@code start()}
 * asks it over an {@code ipc.connection} connection on a Unix-domain socket in the context's private directory,
 * authenticated with the library's handshake ({@link ForkServerMessages}). The server starts the child as its own
 * child, passes back its pid and reports its exit code. The server and all its children die with this JVM (the
 * server watches its standard input, the children theirs). The server starts its JVMs with the spec this launcher
 * last sent it (SPEC, before the first start and whenever a start's spec differs), so that options added later and
 * another class path reach its children, and its standbys of an older spec never serve a start.
 *
 * <p>The server is started when the first process ends, or at {@link #prewarm()} and {@link #awaitReady}, as FORK's
 * standbys are, and keeps its standbys warm from its start. A start while no server is connected yet (a program's
 * first starts) gets a fresh JVM of its own at once, started by this JVM with the preload list, as SPAWN does: a
 * program that starts one process and ends pays for one JVM, not for a server JVM and then a child JVM in series.
 */
public final class ForkServerLauncher implements Launcher {
    /** The context's private directory (the socket goes there), made when the server starts. */
    private final Supplier<Path> dir;
    private final byte[] authkey;
    private final List<String> preload;
    private final int standby;
    /** The connected server, or null before it is (started later, or starting now). Guarded by this. */
    private Server server;
    /** The server's process while it starts and connects, so that {@link #shutdown()} can kill it. Guarded by this. */
    private Process starting;
    /** Whether the server is being started, or runs; false again after a failed start. Guarded by this. */
    private boolean startRequested;
    private boolean shutdown;
    /** The spec of the latest start: the server is started with it. Guarded by this. */
    private JvmSpec latest;

    /**
     * A launcher that starts its fork server later: when its first process ends, or at {@link #prewarm()} or
     * {@link #awaitReady}. Nothing is started here.
     *
     * @param dir       the context's private directory (the socket goes there), asked for when the server starts
     * @param authkey   the context's key
     * @param preload   class names the warm JVMs load before they are needed
     * @param spec      what the server and its first JVMs are started with
     */
    public ForkServerLauncher(Supplier<Path> dir, byte[] authkey, List<String> preload, JvmSpec spec) {
        this.dir = dir;
        this.authkey = authkey.clone();
        this.preload = List.copyOf(preload);
        this.standby = Math.max(1, Integer.getInteger(ForkLauncher.STANDBY_PROPERTY, 2));
        this.latest = spec;
    }

    @Override
    public ChildHandle launch(byte[] frame, String processName, JvmSpec spec) throws Exception {
        Server s;
        synchronized (this) {
            latest = spec;
            s = server;
        }
        if (s != null) return s.launch(frame, spec);
        // no server yet: a fresh JVM now, with the preload list, rather than a server's JVM start and then this one's
        List<String> args = new ArrayList<>();
        if (!preload.isEmpty()) args.add("--preload=" + String.join(",", preload));
        JvmChild child = new JvmChild(SpawnLauncher.builder(spec, args.toArray(String[]::new)).start());
        child.onExit().whenComplete((code, e) -> startServerLater(ForkLauncher.EXIT_GRACE_MILLIS));
        child.send(frame);
        return child;
    }

    private void startServerLater() { startServerLater(0); }

    /**
     * Starts the server on a thread of its own, after {@code graceMillis} (a program that ends within them starts and
     * kills no server), unless it runs or is starting.
     */
    private void startServerLater(long graceMillis) {
        JvmSpec spec;
        synchronized (this) {
            if (shutdown || server != null || startRequested) return;
            startRequested = true;
            spec = latest;
        }
        Thread t = new Thread(() -> {
            if (graceMillis > 0 && awaitShutdown(graceMillis)) return;
            startServer(spec);
        }, "mp4j-forkserver-start");
        t.setDaemon(true);
        t.start();
    }

    private void startServer(JvmSpec spec) {
        Server s = null;
        IOException failure = null;
        try {
            s = new Server(spec);
        } catch (IOException e) {
            failure = e;
        }
        boolean stale;
        synchronized (this) {
            starting = null;
            stale = shutdown;
            if (s != null && !stale) server = s;
            if (s == null) startRequested = false; // the next process's end tries again; starts go on without it
            notifyAll();
        }
        if (s != null && stale) s.shutdown();
        if (failure != null && !stale) {
            org.slf4j.LoggerFactory.getLogger(ForkServerLauncher.class).warn(
                    "cannot start the fork server ({}); processes start as fresh JVMs meanwhile", failure.getMessage());
        }
    }

    /** Waits at most {@code millis} for {@link #shutdown()}; returns whether it came (or this thread was interrupted). */
    private synchronized boolean awaitShutdown(long millis) {
        return Monitors.awaitOrInterrupt(this, () -> shutdown, millis);
    }

    /** Called by {@link Server}'s constructor once the server's process runs. */
    private void started(Process p) {
        boolean kill;
        synchronized (this) {
            kill = shutdown;
            if (!kill) starting = p;
        }
        if (kill) p.destroyForcibly();
    }

    /** Waits until {@code deadline} for the server, starting it if it was not; null when it is not up by then. */
    private Server awaitServer(long deadline) throws InterruptedException {
        startServerLater();
        synchronized (this) {
            while (server == null && !shutdown && startRequested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return null;
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return server;
        }
    }

    @Override
    public void prewarm() {
        Server s;
        synchronized (this) {
            s = server;
        }
        if (s != null) s.refill();
        else startServerLater(); // a server started now keeps its standbys from its start
    }

    /**
     * Waits until the server's {@code standby} warm JVMs are ready (each creates its ready file in the
     * context's directory once warm, and the server deletes it when it hands that JVM a task), starting the server
     * if it was not, at most {@code timeoutNanos}; returns whether they are.
     */
    @Override
    public boolean awaitReady(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        Server s = awaitServer(deadline);
        return s != null && s.awaitReady(deadline);
    }

    /**
     * Whether the server has died or its connection broke: it starts nothing more, and the context starts a new
     * one at its next FORKSERVER start (as CPython does). False while no server was started.
     *
     * @return whether the server is gone
     */
    @Override
    public synchronized boolean isGone() { return server != null && server.isGone(); }

    /**
     * The fork server's pid, or -1 while none is connected (for tests).
     *
     * @return the pid
     */
    public synchronized long serverPid() { return server == null ? -1 : server.process.pid(); }

    /**
     * Starts the server if it was not, and waits at most {@code timeoutNanos} until it is connected (for tests).
     *
     * @param timeoutNanos the longest wait
     * @return the server's pid, or -1 when it is not connected by then
     * @throws InterruptedException if interrupted while waiting
     */
    public long awaitServerPid(long timeoutNanos) throws InterruptedException {
        Server s = awaitServer(System.nanoTime() + timeoutNanos);
        return s == null ? -1 : s.process.pid();
    }

    /**
     * Closes the connection and the server's standard input, which ends the server and kills its standbys, and waits
     * for its end (at most {@link #STOP_WAIT_MILLIS}, then kills it), so that nothing of it outlives this JVM; a
     * server still starting is killed.
     */
    @Override
    public void shutdown() {
        Server s;
        Process p;
        synchronized (this) {
            shutdown = true;
            s = server;
            p = starting;
            notifyAll();
        }
        if (p != null) p.destroyForcibly();
        if (s != null) s.shutdown();
    }

    /** How long {@link #shutdown()} waits for the server's end before it kills it. */
    private static final long STOP_WAIT_MILLIS = 2_000;

    /** A started and connected fork server: its process, its connection and the starts and exits it reports. */
    private final class Server {
        private final Process process;
        private final OutputStream serverStdin;
        private final Connection channel;
        private final AtomicInteger ids = new AtomicInteger();
        private final Map<Integer, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
        private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
        private final Map<Long, Integer> earlyExits = new ConcurrentHashMap<>();
        private volatile IOException broken;
        /** The spec the server starts its JVMs with now. Guarded by {@link #channel}. */
        private JvmSpec sent;

        /** Starts the server with its standbys kept from its start, connects to it and says hello. */
        Server(JvmSpec spec) throws IOException {
            Path socket = dir.get().resolve("forkserver.sock");
            ProcessBuilder pb = new ProcessBuilder(JvmFlags.command(ForkServerMain.class.getName(), spec,
                    socket.toString(), Integer.toString(standby), String.join(",", preload),
                    Objects.requireNonNullElse(ChildMain.applicationClass(), "")));
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            process = pb.start();
            started(process);
            serverStdin = process.getOutputStream();
            try {
                Frames.write(serverStdin, authkey);
                Frames.write(serverStdin, ForkServerMessages.spec(spec));
                serverStdin.flush();
                channel = connect(socket);
                channel.sendBytes(ForkServerMessages.hello());
                ForkServerMessages.expectHello(channel.recvBytes());
                synchronized (channel) {
                    sendSpec(spec);
                }
            } catch (IOException | RuntimeException e) {
                process.destroyForcibly();
                throw e;
            }
            Thread reader = new Thread(this::readLoop, "mp4j-forkserver-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** Connects once the server listens (it creates the socket when its JVM is up), and authenticates. */
        private Connection connect(Path socket) throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    return Client.connect(UnixDomainSocketAddress.of(socket), authkey);
                } catch (io.mp4j.ipc.connection.AuthenticationException e) {
                    throw e;
                } catch (IOException e) {
                    if (!process.isAlive()) throw new IOException("the fork server exited with status " + process.exitValue() + " before listening");
                    if (System.nanoTime() > deadline) throw new IOException("the fork server did not listen within 60 s on " + socket, e);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the fork server", ie);
                    }
                }
            }
        }

        private void readLoop() {
            try {
                while (true) {
                    ForkServerMessages.Message m = ForkServerMessages.read(channel.recvBytes());
                    switch (m.type()) {
                        case ForkServerMessages.STARTED -> {
                            CompletableFuture<Long> f = pending.remove(m.requestId());
                            if (f != null) f.complete(m.pid());
                        }
                        case ForkServerMessages.FAILED -> {
                            CompletableFuture<Long> f = pending.remove(m.requestId());
                            if (f != null) f.completeExceptionally(new IOException("the fork server could not start a process: " + m.text()));
                        }
                        case ForkServerMessages.EXITED -> {
                            CompletableFuture<Integer> f = exits.remove(m.pid());
                            if (f != null) f.complete(m.exitCode());
                            else earlyExits.put(m.pid(), m.exitCode());
                        }
                        default -> throw new IOException("unexpected message from the fork server: type " + m.type());
                    }
                }
            } catch (IOException e) {
                broken = e;
                pending.values().forEach(f -> f.completeExceptionally(e));
                // children of a dead server die with it (their standard input closes)
                exits.values().forEach(f -> f.complete(ExitStatus.fromJdk(137)));
            }
        }

        /** Tells the server the spec of the JVMs it starts from now on. Called holding {@link #channel}. */
        private void sendSpec(JvmSpec spec) throws IOException {
            channel.sendBytes(ForkServerMessages.spec(spec));
            sent = spec;
        }

        ChildHandle launch(byte[] frame, JvmSpec spec) throws Exception {
            if (broken != null) throw new IOException("the fork server is gone: " + broken.getMessage(), broken);
            int id = ids.incrementAndGet();
            CompletableFuture<Long> started = new CompletableFuture<>();
            pending.put(id, started);
            IOException gone = broken;
            if (gone != null) {
                // the reader failed the pending starts before this one was added: nobody would complete it
                pending.remove(id);
                throw new IOException("the fork server is gone: " + gone.getMessage(), gone);
            }
            synchronized (channel) {
                if (!spec.equals(sent)) sendSpec(spec);
                channel.sendBytes(ForkServerMessages.start(id, frame));
            }
            long pid = started.get(60, TimeUnit.SECONDS);
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            exits.put(pid, exit);
            Integer early = earlyExits.remove(pid);
            if (early != null) {
                exits.remove(pid);
                exit.complete(early);
            }
            return new ServerChild(pid, exit);
        }

        void refill() {
            try {
                synchronized (channel) {
                    channel.sendBytes(ForkServerMessages.refill());
                }
            } catch (IOException e) {
                // the server is gone: the next start starts another
            }
        }

        boolean awaitReady(long deadline) throws InterruptedException {
            refill();
            while (broken == null) {
                try (var files = java.nio.file.Files.list(dir.get())) {
                    if (files.filter(f -> f.getFileName().toString().startsWith(ForkServerMain.READY_PREFIX)).count() >= standby) return true;
                } catch (IOException e) {
                    return false;
                }
                if (System.nanoTime() - deadline >= 0) return false;
                Thread.sleep(5);
            }
            return false;
        }

        boolean isGone() { return broken != null || !process.isAlive(); }

        void shutdown() {
            channel.close();
            try {
                serverStdin.close();
            } catch (IOException ignored) {
                // going away anyway
            }
            try {
                if (!process.waitFor(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A child of the fork server: signalled by pid, its exit code reported by the server. */
    private record ServerChild(long pid, CompletableFuture<Integer> onExit) implements ChildHandle {
        @Override public void terminate() { ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); }

        @Override public void kill() { ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); }
    }
}
