package io.mp4j.worker.pool;

import io.mp4j.ipc.wire.WireBuffer;
import io.mp4j.ipc.codec.Codec;

import java.io.IOException;

/**
 * What a pool tells a worker it starts: where the pool's work queue is, which consumer entry is the worker's,
 * its limits, and its initializer. The first message of the pool's protocol, with its version
 * ({@link PoolMessages#VERSION}).
 *
 * @param queue       the work queue's file
 * @param consumer    the worker's entry in the queue's consumer table
 * @param generation  the entry's generation when the pool opened it for this worker
 * @param name        the worker's name, for messages
 * @param ownJvm      true when the worker is a JVM of its own (it may end itself), false for a THREAD worker
 * @param maxTasks    items the worker runs before it retires; 0 for no limit
 * @param maxMemory   resident bytes above which the worker retires after a task; 0 for no limit
 * @param initializer the initializer: {@code bool present [FunctionRef, args]}
 */
public record WorkerSettings(String queue, int consumer, int generation, String name, boolean ownJvm, int maxTasks,
                             long maxMemory, byte[] initializer) {
    /**
     * Where a worker leaves its last words ({@code base + ".died"}) and the pool reads them: beside the queue, one
     * per queue entry and generation.
     *
     * @param queue      the work queue's file
     * @param consumer   the worker's entry
     * @param generation the entry's generation
     * @return the base path, without the suffix
     */
    public static String lastWordsBase(String queue, int consumer, int generation) { return queue + ".w" + consumer + "-" + generation; }

    /** {@return these settings as the worker's launch carries them, with the version first} */
    public byte[] encode() {
        WireBuffer b = new WireBuffer(128 + initializer.length);
        try {
            b.writeShort(PoolMessages.VERSION);
            Codec.writeString(b, queue);
            b.writeInt(consumer);
            b.writeInt(generation);
            Codec.writeString(b, name);
            b.writeBoolean(ownJvm);
            b.writeInt(maxTasks);
            b.writeLong(maxMemory);
            b.writeInt(initializer.length);
            b.write(initializer);
        } catch (IOException e) {
            throw new IllegalStateException(e); // a WireBuffer does not fail
        }
        return b.copy(0, b.size());
    }

    /**
     * Reads settings written by {@link #encode}.
     *
     * @param bytes the encoded settings
     * @return the settings
     * @throws IOException when the bytes are not settings of this version
     */
    public static WorkerSettings decode(byte[] bytes) throws IOException {
        WireBuffer in = new WireBuffer(bytes, bytes.length);
        short v = in.readShort();
        if (v != PoolMessages.VERSION) throw new IOException("pool worker settings version not compatible: expected=" + PoolMessages.VERSION + " found=" + v);
        String queue = Codec.readString(in);
        int consumer = in.readInt();
        int generation = in.readInt();
        String name = Codec.readString(in);
        boolean ownJvm = in.readBoolean();
        int maxTasks = in.readInt();
        long maxMemory = in.readLong();
        byte[] init = new byte[in.readInt()];
        in.readFully(init);
        return new WorkerSettings(queue, consumer, generation, name, ownJvm, maxTasks, maxMemory, init);
    }
}
