package io.mp4j.core.pool;

import io.mp4j.ipc.wire.WireBuffer;
import io.mp4j.worker.task.FunctionRef;

import java.io.IOException;
import java.io.Serializable;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The functions a pool has sent: each distinct function (method plus captured values) gets an id and is
 * sent once to each worker, then named by its id in every task. A lambda that captures nothing is
 * recognised by its class without reducing it again.
 */
public final class FunctionTable {
    /**
     * A function with its id, its encoded form, and the type its results are decoded against.
     *
     * @param id its number, unique within the table
     * @param ref the method it calls and what it captured
     * @param encoded {@code ref} encoded for the workers
     * @param returnType the type its results are decoded against
     */
    public record Entry(int id, FunctionRef ref, byte[] encoded, Type returnType)
            implements io.mp4j.spi.TaskFunction {
        @Override public String describe() { return ref.describe(); }
    }

    private static final int MAX_ENTRIES = 4096;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Class<?>, Entry> byClass = new ConcurrentHashMap<>();
    private final Map<Key, Entry> byBytes = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<FunctionRef> check;

    /** An empty table (one per pool) that takes every function. */
    public FunctionTable() { this(ref -> {}); }

    /**
     * An empty table (one per pool) that passes every new function to {@code check} first, which throws to refuse it.
     *
     * @param check called with each function before it is added; what it throws reaches the caller of {@link #entry}
     */
    public FunctionTable(java.util.function.Consumer<FunctionRef> check) { this.check = check; }

    /**
     * An empty table for a pool whose workers run under {@code method}: it refuses, at submit, a function whose
     * class those workers could not load.
     *
     * @param method the workers' start method
     * @return an empty table
     */
    public static FunctionTable forWorkersOf(io.mp4j.StartMethod method) { return new FunctionTable(ref -> checkLoadable(method, ref)); }

    /**
     * Refuses a function whose class the workers could not load: their class path is made from the library's
     * class loaders (the workers run the library's loop), which may not reach a task class that comes from another
     * loader (a plugin's). A THREAD pool's workers resolve it by name through the library's loader.
     *
     * @throws IllegalStateException naming the class, its loader and what to do
     */
    static void checkLoadable(io.mp4j.StartMethod method, FunctionRef ref) {
        Class<?> c = ref.declaringClass();
        if (method.isProcess()) {
            io.mp4j.core.ChildClassPath.check(io.mp4j.core.ChildClassPath.of(io.mp4j.worker.pool.WorkerLoop.class), c);
            return;
        }
        ClassLoader library = io.mp4j.worker.pool.WorkerLoop.class.getClassLoader();
        Class<?> seen;
        try {
            seen = Class.forName(c.getName(), false, library);
        } catch (ClassNotFoundException | LinkageError e) {
            seen = null;
        }
        if (seen != c) {
            throw new IllegalStateException("the workers of a thread pool could not load " + c.getName() + ": it comes from class loader "
                    + c.getClassLoader() + ", which the library's loader (" + library + ") does not see; make the pool's tasks"
                    + " from classes the library's class loader sees, or use a process start method; see docs/embedding.md");
        }
    }

    /**
     * The entry of {@code fn}, made and checked at its first use: reduced, checked, encoded once.
     *
     * @param fn a serializable lambda or method reference
     * @return its entry
     * @throws IllegalArgumentException when {@code fn} is null
     * @throws io.mp4j.ipc.codec.CodecException when {@code fn}, or what it captures, cannot travel
     * @throws IllegalStateException when the workers could not load its class
     */
    public Entry entry(Serializable fn) {
        if (fn == null) throw new IllegalArgumentException("function must not be null");
        Entry e = byClass.get(fn.getClass());
        if (e != null) return e;
        FunctionRef ref = FunctionRef.of(fn);
        check.accept(ref);
        WireBuffer b = new WireBuffer(128);
        try {
            ref.write(b);
        } catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        byte[] bytes = b.copy(0, b.size());
        Key k = new Key(bytes);
        e = byBytes.get(k);
        if (e == null) {
            Type rt = ref.returnType() == void.class ? Object.class : ref.returnType();
            e = new Entry(ids.incrementAndGet(), ref, bytes, rt);
            if (byBytes.size() < MAX_ENTRIES) {
                Entry prev = byBytes.putIfAbsent(k, e);
                if (prev != null) e = prev;
            }
        }
        if (capturesNothing(fn.getClass())) byClass.put(fn.getClass(), e);
        return e;
    }

    private static boolean capturesNothing(Class<?> c) {
        for (var f : c.getDeclaredFields()) if (!Modifier.isStatic(f.getModifiers())) return false;
        return true;
    }

    private record Key(byte[] b) {
        @Override public boolean equals(Object o) { return o instanceof Key k && Arrays.equals(b, k.b); }

        @Override public int hashCode() { return Arrays.hashCode(b); }
    }
}
