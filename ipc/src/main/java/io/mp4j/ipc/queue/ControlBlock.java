package io.mp4j.ipc.queue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static io.mp4j.ipc.queue.QueueLayout.*;

/**
 * A queue's control file mapped into this process ({@link QueueLayout}). Every access is atomic or
 * volatile, so what one process writes is visible to all the others in the order written. The mapping
 * lives as long as this object is reachable (an automatic arena): a thread blocked on one of its words
 * keeps it alive.
 */
final class ControlBlock {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** Where the low half of a long lies: futex words are the low 32 bits of a counter. */
    static final long LOW = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0 : 4;

    final MemorySegment seg;

    private ControlBlock(MemorySegment seg) { this.seg = seg; }

    /** Creates and initialises the control file (it must not exist yet); the version word is written last. */
    static ControlBlock create(Path file, int kind, long maxsize) {
        ControlBlock c = map(file, true);
        c.seg.set(ValueLayout.JAVA_LONG, MAXSIZE_OFFSET, maxsize);
        c.seg.set(ValueLayout.JAVA_INT, KIND_OFFSET, kind);
        c.seg.set(ValueLayout.JAVA_INT, MAGIC_OFFSET, MAGIC);
        INT.setRelease(c.seg, VERSION_OFFSET, VERSION);
        return c;
    }

    /** Maps an existing control file and checks its magic and version. */
    static ControlBlock attach(Path file) {
        ControlBlock c = map(file, false);
        int version = (int) INT.getAcquire(c.seg, VERSION_OFFSET);
        int magic = c.seg.get(ValueLayout.JAVA_INT, MAGIC_OFFSET);
        if (magic != MAGIC || version != VERSION) {
            throw new IllegalStateException("queue control file not compatible: expected=" + MAGIC + "/v" + VERSION
                    + " found=" + magic + "/v" + version + " file=" + file);
        }
        return c;
    }

    private static ControlBlock map(Path file, boolean create) {
        try (FileChannel ch = create
                ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (create) ch.truncate(LENGTH);
            else if (ch.size() < LENGTH) {
                throw new IllegalStateException("queue control file too short: length=" + ch.size() + " expected=" + LENGTH + " file=" + file);
            }
            return new ControlBlock(ch.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH, Arena.ofAuto()));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalStateException("queue no longer exists (its context ended?): file=" + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map queue control file " + file + ": " + e.getMessage(), e);
        }
    }

    long maxsize() { return seg.get(ValueLayout.JAVA_LONG, MAXSIZE_OFFSET); }

    int kind() { return seg.get(ValueLayout.JAVA_INT, KIND_OFFSET); }

    long get(long offset) { return (long) LONG.getVolatile(seg, offset); }

    long getAndAdd(long offset, long delta) { return (long) LONG.getAndAdd(seg, offset, delta); }

    boolean cas(long offset, long expected, long value) { return LONG.compareAndSet(seg, offset, expected, value); }

    /** A store that orders every earlier load and store of this thread before it (no full fence). */
    void setRelease(long offset, long value) { LONG.setRelease(seg, offset, value); }

    /** A store that no later load of this thread may pass (a full fence). */
    void setVolatile(long offset, long value) { LONG.setVolatile(seg, offset, value); }

    int getInt(long offset) { return (int) INT.getVolatile(seg, offset); }

    boolean casInt(long offset, int expected, int value) { return INT.compareAndSet(seg, offset, expected, value); }

    /** The low 32 bits of the counter at {@code offset}: the word a waiter sleeps on. */
    int word(long offset) { return (int) INT.getVolatile(seg, offset + LOW); }
}
