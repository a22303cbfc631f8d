package io.mp4j.ipc.sync;

import io.mp4j.ipc.shm.Value;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Gets the lock paths linked and compiled early in a fresh JVM. The first locked updates in a fresh JVM are
 * hundreds of times slower than later ones, mostly the one-time linkage of the memory-segment VarHandle access
 * modes, then interpretation (docs/journal/2026-12-07-figures-from-code-comments.md#locks-and-waiting).
 * {@link #runNow()} pays that up front: meant for an ahead-of-time cache training run (so the linked forms and
 * profiles are archived) and for warm standby JVMs. With {@code -Dmp4j.sync.warmup=true}, the first lock made or
 * attached in a JVM also starts it on a daemon thread; off by default, because on two busy cores that thread
 * competes with the program it is meant to help (the first updates got slower, not faster).
 */
public final class Warmup {
    private static final AtomicBoolean STARTED = new AtomicBoolean();
    /** Where this JVM's warm-ups make their files, when its parent gave a directory (null: /dev/shm or the temp dir). */
    private static volatile Path scratchRoot;
    static final int ITERATIONS = 20_000;
    static final int CONTENDED_ITERATIONS = 5_000;

    private Warmup() {}

    static void start() {
        if (!Boolean.parseBoolean(System.getProperty("mp4j.sync.warmup", "false")) || !STARTED.compareAndSet(false, true)) return;
        Thread t = new Thread(Warmup::run, "mp4j-sync-warmup");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * Makes this JVM's warm-ups (these and a pool worker's) put their files in {@code dir}: a private directory of
     * the parent, removed with it however it ends, so that a JVM killed in the moment between making its files
     * and unlinking them leaves nothing behind once its parent is gone.
     *
     * @param dir the directory the warm-ups' own directories are made in
     */
    public static void useScratchRoot(Path dir) { scratchRoot = dir; }

    /**
     * The directory given to {@link #useScratchRoot}, else {@code fallback}.
     *
     * @param fallback the directory when none was given
     * @return where this JVM's warm-ups make their directories
     */
    public static Path scratchRoot(Path fallback) {
        Path r = scratchRoot;
        return r != null ? r : fallback;
    }

    /**
     * Runs the warm-up on the calling thread: for an ahead-of-time cache training run or a warm standby JVM,
     * so that the lock paths are profiled (and their VarHandle forms linked) before any task arrives.
     */
    public static void runNow() {
        STARTED.set(true);
        Futex.linkNow();
        run();
    }

    /**
     * Locked increments of a shared {@code Value} with its RLock, and a Lock, in files mapped as the real ones
     * are (in a temporary directory of /dev/shm, unlinked as soon as they are mapped): the memory-segment access is compiled for the
     * receiver types it will meet, a mapped segment, not private memory.
     */
    private static void run() {
        Path dir = null;
        try {
            Path shm = Path.of("/dev/shm");
            dir = scratchDir(scratchRoot(Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"))),
                    "mp4j-warmup-");
            Value v = Value.create(dir, 'i', 0, true);
            SharedLock r = v.getLock();
            Lock l = Lock.create(dir);
            // mapped now: the files can go at once, so that a JVM killed while warming up leaves nothing behind
            deleteTree(dir);
            dir = null;
            for (int i = 0; i < ITERATIONS; i++) {
                r.lock();
                r.lock();
                try {
                    v.set(v.getLong() + 1);
                } finally {
                    r.unlock();
                    r.unlock();
                }
                l.lock();
                l.unlock();
            }
            // and contended: two threads on one lock, so that the waiting paths (spin, futex sleep and wake-up)
            // are profiled too, not only the free lock (code compiled for a lock that is never contended is
            // thrown away at the first contention)
            Thread other = new Thread(() -> contend(v, r), "mp4j-sync-warmup-peer");
            other.setDaemon(true);
            other.start();
            contend(v, r);
            other.join();
        } catch (IOException | RuntimeException e) {
            // a JVM that cannot warm up still works: it pays on first use
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (dir != null) deleteTree(dir);
        }
    }

    private static void contend(Value v, SharedLock r) {
        for (int i = 0; i < CONTENDED_ITERATIONS; i++) {
            r.lock();
            try {
                v.set(v.getLong() + 1);
            } finally {
                r.unlock();
            }
        }
    }

    /**
     * A new private directory {@code root/prefix<pid>-<random>} for a warm-up's files, after removing those
     * of dead processes: a warm JVM killed in the moment between making its files and unlinking them (its
     * parent died) leaves them behind, and the next warm-up anywhere sweeps them.
     *
     * @param root where the directory goes (the temporary directory)
     * @param prefix the directory name's prefix
     * @return the new directory
     * @throws IOException if it cannot be made
     */
    public static Path scratchDir(Path root, String prefix) throws IOException {
        try (var old = Files.newDirectoryStream(root, prefix + "*")) {
            for (Path d : old) {
                String rest = d.getFileName().toString().substring(prefix.length());
                int dash = rest.indexOf('-');
                if (dash <= 0) continue;
                try {
                    long pid = Long.parseLong(rest.substring(0, dash));
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                } catch (NumberFormatException e) {
                    continue; // not ours
                }
                deleteTree(d);
            }
        } catch (IOException | RuntimeException e) {
            // sweeping is housekeeping
        }
        return Files.createTempDirectory(root, prefix + ProcessHandle.current().pid() + "-");
    }

    /**
     * Deletes a directory of plain files, quietly.
     *
     * @param dir the directory
     */
    public static void deleteTree(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) Files.deleteIfExists(f);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
