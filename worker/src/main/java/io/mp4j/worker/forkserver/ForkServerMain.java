package io.mp4j.worker.forkserver;

import io.mp4j.worker.ChildMain;
import io.mp4j.worker.ExitStatus;
import io.mp4j.worker.JvmFlags;
import io.mp4j.worker.JvmSpec;
import io.mp4j.worker.ReadyFile;

import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Listener;
import io.mp4j.ipc.wire.Frames;

import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The fork server: a JVM that keeps warm JVMs ready (with the preloaded classes) and starts the
 * coordinator's FORKSERVER processes as its own children.
 *
 * <p>Started as {@code ForkServerMain SOCKET_PATH STANDBY [PRELOAD_CLASS,...]} with the authkey as the
 * first frame on standard input ({@link io.mp4j.ipc.wire.Frames}) and the coordinator's spec (a SPEC message) as the
 * second; standard input then stays open and silent:
 * end-of-file means the coordinator is gone, and the server halts, taking its children with it (they watch their
 * own standard input, which only the server holds). It listens on a Unix-domain socket in the coordinator's
 * private directory ({@code ipc.connection}'s {@code Listener}, which authenticates peers with the library's
 * handshake) and serves one connection at a time, in the messages of {@link ForkServerMessages}.
 * Before its first START the coordinator sends SPEC, and again whenever a start's spec differs.
 * A standby taken by a process is replaced when that process ends (or on REFILL), not at once: a JVM warming
 * up takes most of a core for half a second, which the process that just started needs more. For the same reason the
 * coordinator starts the server only once its own first process has ended, or to prewarm (it starts its first
 * processes itself meanwhile), so the standbys start as the server listens. Each
 * standby creates its ready file ({@link #READY_PREFIX}) in the socket's directory once warm. Standbys are started
 * only once a spec came, and a new spec stops the standbys of the old one: a start never gets a JVM started with
 * options or a class path that are no longer the coordinator's. When the coordinator goes, the server kills its
 * standbys (a standby still warming up would otherwise go on until its JVM is far enough to watch its input), then
 * ends.
 */
public final class ForkServerMain {
    private final byte[] authkey;
    private final int standby;
    private final List<String> childArgs;
    /** Standby JVMs started, oldest first, warm or still warming up. */
    private final Deque<Standby> ready = new ArrayDeque<>();
    private final Path dir;
    private int starting;
    /** The spec of the JVMs started now (the coordinator's latest); null before the first. Guarded by this. */
    private JvmSpec spec;
    /** Whether standbys are kept: after a REFILL or once a process has ended. Guarded by this. */
    private boolean keepWarm;
    /** Starts standbys off the request path: a request never waits for a JVM to be started for later. */
    private final ExecutorService refiller = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mp4j-forkserver-refill");
        t.setDaemon(true);
        return t;
    });

    /** The prefix of the ready files of the server's standbys, in the directory of its socket. */
    public static final String READY_PREFIX = "forkserver-standby-";

    private record Standby(Process process, ReadyFile ready, JvmSpec spec) {}

    private ForkServerMain(Path dir, byte[] authkey, int standby, List<String> childArgs) {
        this.dir = dir;
        this.authkey = authkey;
        this.standby = standby;
        this.childArgs = childArgs;
    }

    /**
     * The fork server's main: {@code SOCKET_PATH STANDBY [PRELOAD,...] [APPLICATION_CLASS]}, the key on standard input.
     *
     * @param args the socket's path, the number of standbys, the classes to preload, the application's main class
     * @throws Exception when the server cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) throw new IllegalArgumentException("usage: ForkServerMain SOCKET_PATH STANDBY [PRELOAD,...] [APPLICATION_CLASS]");
        Path socket = Path.of(args[0]);
        int standby = Integer.parseInt(args[1]);
        List<String> childArgs = new ArrayList<>(List.of("--warm"));
        if (args.length > 2 && !args[2].isEmpty()) childArgs.add("--preload=" + args[2]);
        if (args.length > 3 && !args[3].isEmpty()) childArgs.add(ChildMain.OPEN_TO_ARG + args[3]);
        InputStream stdin = new BufferedInputStream(new FileInputStream(FileDescriptor.in));
        byte[] key = Frames.read(stdin, 1024);
        ForkServerMessages.Message first = ForkServerMessages.read(Frames.read(stdin, SPEC_FRAME_LIMIT));
        if (first.type() != ForkServerMessages.SPEC) throw new IOException("expected the spec on standard input, got message type " + first.type());
        ForkServerMain server = new ForkServerMain(socket.toAbsolutePath().getParent(), key, standby, childArgs);
        synchronized (server) {
            server.keepWarm = true;
            server.spec = first.spec();
        }
        server.watchCoordinator(stdin);
        server.serve(socket);
    }

    /** The largest spec frame read from standard input (a class path of some thousand jars). */
    private static final int SPEC_FRAME_LIMIT = 16 << 20;

    private void watchCoordinator(InputStream stdin) {
        Thread t = new Thread(() -> {
            try {
                while (stdin.read() >= 0) {
                    // silent until the coordinator dies
                }
            } catch (IOException ignored) {
                // same as end-of-file
            }
            end();
        }, "mp4j-forkserver-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Kills the standbys, warm or warming up, and ends the server: the coordinator is gone. */
    private void end() {
        synchronized (this) {
            keepWarm = false;
            spec = null; // a refill in progress starts nothing more
        }
        // not waiting for a standby start in progress (the coordinator waits for this end): such a standby ends by
        // itself once its JVM watches its input
        refiller.shutdown();
        List<Standby> left;
        synchronized (this) {
            left = new ArrayList<>(ready);
            ready.clear();
        }
        left.forEach(ForkServerMain::stop);
        Runtime.getRuntime().halt(0);
    }

    /** Starts standbys on the refill thread, unless the server is ending. */
    private void refillLater() {
        try {
            refiller.execute(this::refill);
        } catch (RejectedExecutionException e) {
            // ending
        }
    }

    /**
     * A warm standby, else a JVM started now without the warm-up, at normal priority (standbys warm up at
     * the lowest, see {@link JvmFlags#atLowPriority}).
     */
    private Process takeStandby() throws IOException {
        Standby taken = null;
        JvmSpec now;
        synchronized (this) {
            now = spec;
            if (now == null) throw new IOException("no spec received before a start");
            for (var it = ready.iterator(); it.hasNext(); ) {
                Standby s = it.next();
                if (!s.process().isAlive()) {
                    it.remove();
                    s.ready().forget();
                } else if (taken == null && s.ready().isSignalled()) {
                    taken = s;
                }
            }
            if (taken != null) ready.remove(taken);
        }
        Process p = null;
        if (taken != null) {
            taken.ready().forget();
            p = taken.process();
        }
        if (p == null) p = startChild(null, now);
        // replaced when this process ends (see start): a JVM warming up would take a core from it
        return p;
    }

    private void refill() {
        while (true) {
            JvmSpec now;
            synchronized (this) {
                ready.removeIf(s -> {
                    if (s.process().isAlive()) return false;
                    s.ready().forget();
                    return true;
                });
                now = spec;
                if (now == null || !keepWarm || ready.size() + starting >= standby) return;
                starting++;
            }
            Standby p = null;
            try {
                ReadyFile file = ReadyFile.in(dir, READY_PREFIX);
                p = new Standby(startChild(file, now), file, now);
            } catch (IOException e) {
                System.err.println("mp4j fork server: cannot start a standby JVM: " + e.getMessage());
            }
            synchronized (this) {
                starting--;
                if (p == null) return;
                if (!now.equals(spec)) { // the spec changed while it started (or the server is ending): stale already
                    stop(p);
                    continue;
                }
                ready.addLast(p);
            }
        }
    }

    /** Takes {@code next} as the spec of the JVMs started from now on; stops the standbys of another. */
    private void setSpec(JvmSpec next) {
        List<Standby> stale = new ArrayList<>();
        synchronized (this) {
            spec = next;
            for (var it = ready.iterator(); it.hasNext(); ) {
                Standby s = it.next();
                if (!s.spec().equals(next)) {
                    it.remove();
                    stale.add(s);
                }
            }
        }
        stale.forEach(ForkServerMain::stop);
        refillLater();
    }

    /**
     * Ends a standby that will not serve: killed, since one still warming up would go on until its JVM is far enough
     * to see its standard input close.
     */
    private static void stop(Standby s) {
        if (s.ready() != null) s.ready().forget();
        s.process().destroyForcibly();
    }

    /** A warm standby that signals through {@code readyFile}, or (null) a cold JVM for a task now; started with {@code spec}. */
    private Process startChild(ReadyFile readyFile, JvmSpec spec) throws IOException {
        List<String> argv = new ArrayList<>(childArgs);
        if (readyFile == null) argv.remove("--warm");
        else argv.add(readyFile.argument());
        List<String> cmd = JvmFlags.command(ChildMain.class.getName(), spec, argv.toArray(String[]::new));
        ProcessBuilder pb = new ProcessBuilder(readyFile == null ? cmd : JvmFlags.atLowPriority(cmd));
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return pb.start();
    }

    private void serve(Path socketPath) throws IOException {
        Files.deleteIfExists(socketPath);
        try (Listener listener = new Listener(UnixDomainSocketAddress.of(socketPath), authkey)) {
            refillLater();
            while (true) {
                Connection c;
                try {
                    c = listener.accept();
                } catch (AuthenticationException e) {
                    System.err.println("mp4j fork server: refused a connection: " + e.getMessage());
                    continue;
                }
                try (c) {
                    ForkServerMessages.expectHello(c.recvBytes());
                    c.sendBytes(ForkServerMessages.hello());
                    session(c);
                } catch (IOException e) {
                    System.err.println("mp4j fork server: " + e.getMessage());
                    continue;
                }
                // the coordinator closed its connection: it is exiting; so do we
                end();
            }
        }
    }

    private void session(Connection c) {
        while (true) {
            try {
                ForkServerMessages.Message m = ForkServerMessages.read(c.recvBytes());
                switch (m.type()) {
                    case ForkServerMessages.REFILL -> {
                        synchronized (this) {
                            keepWarm = true;
                        }
                        refillLater();
                    }
                    case ForkServerMessages.SPEC -> setSpec(m.spec());
                    case ForkServerMessages.START -> start(m.requestId(), m.launch(), c);
                    default -> throw new IOException("unexpected fork server request " + m.type());
                }
            } catch (IOException e) {
                return; // end of the connection (or a peer that speaks another protocol): the coordinator is gone
            }
        }
    }

    private void start(int id, byte[] launch, Connection c) throws IOException {
        Process p;
        try {
            p = takeStandby();
            Frames.write(p.getOutputStream(), launch);
        } catch (IOException e) {
            send(c, ForkServerMessages.failed(id, e.getMessage()));
            return;
        }
        Process child = p;
        send(c, ForkServerMessages.started(id, child.pid()));
        child.onExit().thenAccept(done -> {
            synchronized (this) {
                keepWarm = true;
            }
            refillLater();
            try {
                done.getOutputStream().close();
                send(c, ForkServerMessages.exited(done.pid(), ExitStatus.fromJdk(done.exitValue())));
            } catch (IOException ignored) {
                // the coordinator is gone; the watch halts us
            }
        });
    }

    private static void send(Connection c, byte[] message) throws IOException {
        synchronized (c) {
            c.sendBytes(message);
        }
    }
}
