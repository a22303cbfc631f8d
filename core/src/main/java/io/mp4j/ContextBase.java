package io.mp4j;

import io.mp4j.core.ProcessRegistry;
import io.mp4j.worker.ResourceTracker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The bottom layer of {@link Context}: what every factory of a context stands on. Its start method and key, its
 * private directory (made at the first call that needs it, removed when this JVM ends however it ends, by a
 * {@link ResourceTracker}), and the stamp on what a THREAD context makes. The layers above add one group of factories
 * each, with their documentation: {@link SharedObjectFactories} (shared memory and synchronization),
 * {@link ChannelFactories} (pipes, connections, queues), then {@link Context} itself (processes and their JVMs, pools,
 * executors, managers).
 */
abstract sealed class ContextBase permits SharedObjectFactories {
    final StartMethod method;
    final byte[] authkey;
    private volatile Path resourceDir;
    private ResourceTracker tracker;

    ContextBase(StartMethod method, byte[] authkey) {
        this.method = method;
        this.authkey = authkey.clone();
    }

    /**
     * The start method of every process, pool and executor this context makes.
     *
     * @return this context's start method
     */
    public StartMethod startMethod() { return method; }

    /**
     * The key that children and this process's listeners use to authenticate each other.
     *
     * @return a copy of the key
     */
    public byte[] authkey() { return authkey.clone(); }

    // ------------------------------------------------------------------ context stamps

    /** Objects made by THREAD contexts: they stay in this JVM (Python's dummy objects are thread objects). */
    private static final java.util.Set<Object> THREAD_MADE =
            java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));

    /**
     * Stamps an object this context made. Objects made by the THREAD context belong to this JVM's
     * threads (as Python's {@code multiprocessing.dummy} objects are {@code threading} objects) and are
     * refused by processes of the other contexts: see {@link #checkCompatible}.
     */
    <T> T stamp(T made) {
        if (method == StartMethod.THREAD && made != null) THREAD_MADE.add(made);
        return made;
    }

    /**
     * Refuses, before anything starts, an object made by an incompatible context: a THREAD-context object
     * passed to a process of a JVM-based start method.
     *
     * @throws IllegalArgumentException naming the object, its context and this one
     */
    void checkCompatible(Object value, String what) {
        if (value == null || !method.isProcess()) return;
        if (THREAD_MADE.contains(value)) {
            throw new IllegalArgumentException(what + " (" + value.getClass().getSimpleName() + ") was made by the thread context and"
                    + " can only be used by threads of this JVM, not by a process of the " + method.pythonName()
                    + " context: make it with Multiprocessing.getContext(StartMethod." + method + ")");
        }
    }
    // ------------------------------------------------------------------ resources

    /**
     * This context's private directory (mode 0700) for named resources, created on first call; removed
     * when this JVM exits, however it exits.
     *
     * @return the directory's path
     */
    public Path resourceDir() {
        Path d = resourceDir;
        if (d != null) return d;
        synchronized (this) {
            if (resourceDir == null) {
                try {
                    Path base = Files.isDirectory(Paths.get("/dev/shm")) ? Paths.get("/dev/shm") : Paths.get(System.getProperty("java.io.tmpdir"));
                    String rnd = HexFormat.of().formatHex(new SecureRandom().generateSeed(4));
                    Path dir = base.resolve("mp4j-" + ProcessHandle.current().pid() + "-" + method.pythonName() + "-" + rnd);
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    tracker = ResourceTracker.start(dir);
                    ProcessRegistry.atExit(tracker::closeAndWait);
                    resourceDir = dir;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create the context's private directory: " + e.getMessage(), e);
                }
            }
            return resourceDir;
        }
    }

    /** The private directory if it exists already, else {@code null}. */
    String existingResourceDir() {
        Path d = resourceDir;
        return d == null ? null : d.toString();
    }

    static byte[] newAuthkey() { return new SecureRandom().generateSeed(32); }
}
