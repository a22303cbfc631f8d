package io.mp4j.managers;

import io.mp4j.ipc.sync.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A manager's whole path run once inside this JVM, on a private socket: a server started as a manager's process
 * starts it ({@link ServerMain#serve}), a client's connect and handshake, two dicts made, and a few hundred calls of
 * their common methods on keys and values of the usual kinds, then the shutdown. The ahead-of-time caches of child
 * JVMs are trained with it, so that a child that becomes a manager's server, or calls a proxy, finds these classes
 * loaded and linked and these methods profiled (docs/journal/2026-12-07-manager-figures.md).
 *
 * <p>Run by the trainings ({@code io.mp4j.worker.warmup.Stages}, which names this class: the worker module knows no
 * type of this one; this package is open to it for that). Leaves nothing behind: its directory is removed, its
 * connections closed, its threads ended.
 */
final class ManagerWarmUp implements Runnable {
    /** Calls of each kind: past the compilers' first thresholds (a few hundred calls of a method). */
    static final int CALLS = 400;

    /** Calls of each kind when a standby runs it live (compiled code, not only profiles: past C1's and towards C2's thresholds). */
    static final int LIVE_CALLS = 1500;

    private final int calls;

    /** The trainings' run (the standbys' live run passes through here too: see {@link #run()}). */
    ManagerWarmUp() { this(CALLS); }

    ManagerWarmUp(int calls) { this.calls = calls; }

    /** A training of an ahead-of-time cache runs {@link #CALLS} calls; a standby of a running program {@link #LIVE_CALLS}. */
    @Override
    public void run() {
        if (io.mp4j.worker.warmup.Stages.isLiveWarmUp()) new ManagerWarmUp(LIVE_CALLS).runOnce();
        else runOnce();
    }

    /** The run; whether every call was answered (a JVM that cannot run it still works: it pays on first use). */
    boolean runOnce() {
        Path dir = null;
        String address = null;
        try {
            Path shm = Path.of("/dev/shm");
            dir = Warmup.scratchDir(Warmup.scratchRoot(Files.isDirectory(shm) && Files.isWritable(shm) ? shm
                    : Path.of(System.getProperty("java.io.tmpdir"))), "mp4j-manager-warmup-");
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            Path reply = dir.resolve("m.ready");
            byte[] config = ServerMain.config(java.net.UnixDomainSocketAddress.of(dir.resolve("m.sock")), key, new Registry(), reply);
            Thread server = Thread.ofPlatform().daemon(true).name("mp4j-manager-warmup").start(() -> {
                try {
                    ServerMain.serve(config);
                } catch (IOException ignored) {
                    // the client side fails too, and the warm-up stops
                }
            });
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.exists(reply)) {
                if (!server.isAlive() || System.nanoTime() > deadline) return false;
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
            address = Files.readString(reply);
            if (address.startsWith("error: ")) return false;
            ManagerClient client = ManagerClient.of(address, key);
            String hex = HexFormat.of().formatHex(key);
            ManagerClient.Created made = client.create("dict", out -> out.writeInt(0));
            DictProxy<Integer, Integer> ints = new DictProxy<>(new Token("dict", address, made.id(), List.of(Integer.class.getName(), Integer.class.getName()), hex));
            // a proxy's travel as a child's launch carries it (its handle, without Jackson)
            @SuppressWarnings("unchecked")
            DictProxy<Integer, Integer> travelled = (DictProxy<Integer, Integer>) io.mp4j.ipc.codec.Codec.decode(
                    io.mp4j.ipc.codec.Codec.encode(ints, Map.class), Map.class);
            ints = travelled;
            made = client.create("dict", out -> out.writeInt(0));
            DictProxy<Object, Object> any = new DictProxy<>(new Token("dict", address, made.id(), List.of(), hex));
            for (int i = 0; i < calls; i++) {
                ints.put(i % 100, i);
                ints.get(i % 100);
                any.put("k" + (i % 10), i % 2 == 0 ? "v" : (Object) (long) i);
                any.get("k" + (i % 10));
                any.containsKey(i);
            }
            boolean answered = ints.size() == 100 && any.size() == 10 && client.shutdownServer();
            server.join(10_000);
            return answered && !server.isAlive();
        } catch (IOException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (address != null) ManagerClient.forget(address);
            if (dir != null) Warmup.deleteTree(dir);
        }
    }
}
