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

/**
 * FORKSERVER: a fork-server JVM ({@link ForkServerMain}), started on first use, keeps warm JVMs with the
 * preloaded classes; {@code start()} asks it over an {@code ipc.connection} connection on a Unix-domain socket in
 * the context's private directory, authenticated with the library's handshake ({@link ForkServerMessages}). The server starts the child as its own child, passes back its pid and reports its
 * exit code. The server and all its children die with this JVM (the server watches its standard input,
 * the children theirs). The server starts its JVMs with the spec this launcher last sent it (SPEC, before
 * the first start and whenever a start's spec differs), so that options added later and another class path
 * reach its children, and its standbys of an older spec never serve a start.
 */
public final class ForkServerLauncher implements Launcher {
    private final Process server;
    private final OutputStream serverStdin;
    private final Connection channel;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<Integer>> exits = new ConcurrentHashMap<>();
    private final Map<Long, Integer> earlyExits = new ConcurrentHashMap<>();
    private volatile IOException broken;
    private final Path dir;
    private final int standby;
    /** The spec the server starts its JVMs with now. Guarded by {@link #channel}. */
    private JvmSpec sent;

    /**
     * Starts the fork server and connects to it; the server then keeps its standbys warm.
     *
     * @param dir       the context's private directory (the socket goes there)
     * @param authkey   the context's key
     * @param preload   class names the warm JVMs load before they are needed
     * @param spec      what the server and its first JVMs are started with
     * @throws IOException when the server cannot be started or does not answer
     */
    public ForkServerLauncher(Path dir, byte[] authkey, List<String> preload, JvmSpec spec) throws IOException {
        Path socket = dir.resolve("forkserver.sock");
        this.dir = dir;
        this.standby = Math.max(1, Integer.getInteger(ForkLauncher.STANDBY_PROPERTY, 2));
        ProcessBuilder pb = new ProcessBuilder(JvmFlags.command(ForkServerMain.class.getName(), spec,
                socket.toString(), Integer.toString(standby), String.join(",", preload),
                Objects.requireNonNullElse(ChildMain.applicationClass(), "")));
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        server = pb.start();
        serverStdin = server.getOutputStream();
        Frames.write(serverStdin, authkey);
        // the server starts the first START's JVM with it at once, beside its own start and the handshake
        Frames.write(serverStdin, ForkServerMessages.spec(spec));
        serverStdin.flush();
        channel = connect(socket, authkey);
        channel.sendBytes(ForkServerMessages.hello());
        ForkServerMessages.expectHello(channel.recvBytes());
        synchronized (channel) {
            sendSpec(spec);
        }
        Thread reader = new Thread(this::readLoop, "mp4j-forkserver-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects once the server listens (it creates the socket when its JVM is up), and authenticates. */
    private Connection connect(Path socket, byte[] authkey) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return Client.connect(UnixDomainSocketAddress.of(socket), authkey);
            } catch (io.mp4j.ipc.connection.AuthenticationException e) {
                throw e;
            } catch (IOException e) {
                if (!server.isAlive()) throw new IOException("the fork server exited with status " + server.exitValue() + " before listening");
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

    @Override
    public ChildHandle launch(byte[] frame, String processName, JvmSpec spec) throws Exception {
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

    @Override
    public void prewarm() {
        try {
            synchronized (channel) {
                channel.sendBytes(ForkServerMessages.refill());
            }
        } catch (IOException e) {
            // the server is gone: the next start starts another
        }
    }

    /**
     * Waits until the server's {@code standby} warm JVMs are ready (each creates its ready file in the
     * context's directory once warm, and the server deletes it when it hands that JVM a task), at most
     * {@code timeoutNanos}; returns whether they are.
     */
    public boolean awaitReady(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            synchronized (channel) {
                channel.sendBytes(ForkServerMessages.refill());
            }
        } catch (IOException e) {
            return false;
        }
        while (broken == null) {
            try (var files = java.nio.file.Files.list(dir)) {
                if (files.filter(f -> f.getFileName().toString().startsWith(ForkServerMain.READY_PREFIX)).count() >= standby) return true;
            } catch (IOException e) {
                return false;
            }
            if (System.nanoTime() - deadline >= 0) return false;
            Thread.sleep(5);
        }
        return false;
    }

    /**
     * Whether the server has died or its connection broke: it starts nothing more, and the context starts a new
     * one at its next FORKSERVER start (as CPython does).
     *
     * @return whether the server is gone
     */
    @Override
    public boolean isGone() { return broken != null || !server.isAlive(); }

    /**
     * The fork server's pid (for tests).
     *
     * @return the pid
     */
    public long serverPid() { return server.pid(); }

    /**
     * Closes the connection and the server's standard input, which ends the server and kills its standbys, and waits
     * for its end (at most {@link #STOP_WAIT_MILLIS}, then kills it), so that nothing of it outlives this JVM.
     */
    @Override
    public void shutdown() {
        channel.close();
        try {
            serverStdin.close();
        } catch (IOException ignored) {
            // going away anyway
        }
        try {
            if (!server.waitFor(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) server.destroyForcibly();
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** How long {@link #shutdown()} waits for the server's end before it kills it. */
    private static final long STOP_WAIT_MILLIS = 2_000;

    /** A child of the fork server: signalled by pid, its exit code reported by the server. */
    private record ServerChild(long pid, CompletableFuture<Integer> onExit) implements ChildHandle {
        @Override public void terminate() { ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy); }

        @Override public void kill() { ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); }
    }
}
