package io.mp4j.cluster;

import org.apache.ignite.lang.IgniteCallable;

/**
 * A chunk of a pool's items, as Ignite's compute sends it to a server node: plain fields of strings, numbers and
 * bytes (the items and the function in the library's encoding), so that Ignite's marshaller never sees a user type.
 * Ignite may run it again on another node when the node running it dies (failover): its items' side effects are
 * then at least once, its result reaches the pool once.
 */
final class ChunkJob implements IgniteCallable<byte[]> {
    private static final long serialVersionUID = 1L;

    private final String pool;
    private final int fnId;
    private final byte[] fn;
    private final byte[] init;
    private final byte[] args;
    private final int n;

    ChunkJob(String pool, int fnId, byte[] fn, byte[] init, byte[] args, int n) {
        this.pool = pool;
        this.fnId = fnId;
        this.fn = fn;
        this.init = init;
        this.args = args;
        this.n = n;
    }

    @Override public byte[] call() throws Exception { return NodeTasks.runChunk(pool, fnId, fn, init, args, n); }
}
