package io.mp4j.cluster;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;
import io.mp4j.worker.pool.PoolMessages;
import io.mp4j.worker.task.FunctionRef;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a server node keeps for the pools whose tasks it runs, and how it runs a chunk: the node is the pool's
 * worker there. A pool's initializer runs once on each node, before the first chunk of that pool the node runs
 * (static state it sets is then seen by every task of the pool on that node, whichever of the node's threads runs
 * it); functions are decoded once per node and pool. Entries go when the pool ends (a broadcast from the client) or,
 * past {@value #MAX_POOLS} pools, the oldest first (a client that died without closing its pool).
 *
 * <p>A chunk's reply: {@code byte kind}; {@link #RESULTS}: {@code long nodePid, int n}, then per item {@code byte
 * status} ({@link #OK} and a codec slot, or {@link #ERROR}/{@link #ENCODE_ERROR} and an error chain as
 * {@link PoolMessages#writeError} writes it); {@link #INIT_FAILED}: {@code long nodePid} and the initializer's error.
 */
final class NodeTasks {
    static final byte RESULTS = 0, INIT_FAILED = 1;
    static final byte OK = 0, ERROR = 1, ENCODE_ERROR = 2;
    static final int MAX_POOLS = 256;

    private static final Map<String, NodePool> POOLS = new LinkedHashMap<>(16, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, NodePool> e) { return size() > MAX_POOLS; }
    };

    private NodeTasks() {}

    /** One pool's state on this node. */
    private static final class NodePool {
        private boolean initialized;
        private Throwable initFailure;
        private final Map<Integer, Object> functions = new HashMap<>(); // FunctionRef, or what decoding it threw

        synchronized Throwable initialize(byte[] init, ClassLoader loader) {
            if (initialized) return initFailure;
            initialized = true;
            if (init == null) return null;
            try {
                DataInputStream in = new DataInputStream(new ByteArrayInputStream(init));
                FunctionRef f = FunctionRef.read(in, loader);
                f.invoke(f.readArgs(in, loader));
            } catch (Throwable t) {
                initFailure = t;
            }
            return initFailure;
        }

        synchronized Object function(int id, byte[] encoded, ClassLoader loader) {
            return functions.computeIfAbsent(id, k -> {
                try {
                    return FunctionRef.read(new DataInputStream(new ByteArrayInputStream(encoded)), loader);
                } catch (IOException | RuntimeException | LinkageError e) {
                    return new CodecException("this node cannot load the task's function: " + e.getMessage()
                            + " (a cluster loads tasks from each node's class path: start every node with the application's"
                            + " classes, see docs/cluster.md)", e);
                }
            });
        }
    }

    private static NodePool pool(String id) {
        synchronized (POOLS) {
            return POOLS.computeIfAbsent(id, k -> new NodePool());
        }
    }

    /** Forgets a pool that ended. */
    static void end(String id) {
        synchronized (POOLS) {
            POOLS.remove(id);
        }
    }

    /** Whether this node keeps state for pool {@code id} (for tests). */
    static boolean has(String id) {
        synchronized (POOLS) {
            return POOLS.containsKey(id);
        }
    }

    static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl == null ? NodeTasks.class.getClassLoader() : cl;
    }

    /** Runs {@code n} items of pool {@code poolId}'s function {@code fnId} and returns the reply. */
    static byte[] runChunk(String poolId, int fnId, byte[] fn, byte[] init, byte[] args, int n) throws IOException {
        ClassLoader loader = loader();
        NodePool p = pool(poolId);
        ByteArrayOutputStream bos = new ByteArrayOutputStream(64 + n * 16);
        DataOutputStream out = new DataOutputStream(bos);
        long pid = ProcessHandle.current().pid();
        Throwable initFailure = p.initialize(init, loader);
        if (initFailure != null) {
            out.writeByte(INIT_FAILED);
            out.writeLong(pid);
            PoolMessages.writeError(out, initFailure);
            out.flush();
            return bos.toByteArray();
        }
        out.writeByte(RESULTS);
        out.writeLong(pid);
        out.writeInt(n);
        Object f = p.function(fnId, fn, loader);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(args));
        Throwable unreadable = f instanceof Throwable t ? t : null;
        for (int i = 0; i < n; i++) {
            if (unreadable != null) {
                out.writeByte(ERROR);
                PoolMessages.writeError(out, unreadable);
                continue;
            }
            FunctionRef fr = (FunctionRef) f;
            Object result = null;
            Throwable failure = null;
            try {
                result = fr.invoke(fr.readArgs(in, loader));
            } catch (IOException | CodecException e) {
                unreadable = new CodecException("this node cannot decode the arguments of item " + i + " of " + fr.describe() + ": " + e.getMessage(), e);
                out.writeByte(ERROR);
                PoolMessages.writeError(out, unreadable);
                continue;
            } catch (Throwable t) {
                failure = t;
            }
            if (failure == null) {
                ByteArrayOutputStream one = new ByteArrayOutputStream(32);
                try {
                    Type rt = fr.returnType() == void.class ? Object.class : fr.returnType();
                    Codec.writeSlot(new DataOutputStream(one), result, rt);
                    out.writeByte(OK);
                    one.writeTo(out);
                } catch (IOException | RuntimeException e) {
                    out.writeByte(ENCODE_ERROR);
                    PoolMessages.writeError(out, new CodecException("the result of " + fr.describe() + " cannot be sent back: " + e.getMessage(), e));
                }
            } else {
                out.writeByte(ERROR);
                PoolMessages.writeError(out, failure);
            }
        }
        out.flush();
        return bos.toByteArray();
    }
}
