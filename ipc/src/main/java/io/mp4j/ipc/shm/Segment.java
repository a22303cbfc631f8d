package io.mp4j.ipc.shm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

import static io.mp4j.ipc.shm.SegmentDescriptor.*;

/**
 * A named file (under {@code /dev/shm} where present) mapped into this process, starting with the header
 * of {@link SegmentDescriptor}. Every process that maps the same file sees the same bytes; the offsets
 * handed out are absolute (header included), so a {@code (path, offset)} pair names a word anywhere.
 *
 * <p>A segment created {@code closable} is unmapped by {@link #close()}; otherwise it stays mapped while the
 * object is reachable (the garbage collector unmaps it), as Python's heap-backed {@code Value} does.
 * The file itself lives until {@link #unlink()} or until its directory is removed (a context's private
 * directory is removed when the JVM that made it ends).
 *
 * <p>What becomes visible across JVMs: every store to the mapping, in the order the accessors' memory
 * semantics give (the version word is published with a release store after the rest of the header).
 */
public final class Segment implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path path;
    private final Arena arena;
    private final MemorySegment memory;
    private final long payloadLength;

    private Segment(Path path, Arena arena, MemorySegment memory, long payloadLength) {
        this.path = path;
        this.arena = arena;
        this.memory = memory;
        this.payloadLength = payloadLength;
    }

    /**
     * Loads a heap segment class before any access path to mapped memory is compiled: called by every create and
     * attach, before the mapping exists. While native and mapped segments are the only kinds loaded, C2 compiles those
     * paths on the assumption that no other kind exists, and the first heap segment (a socket receive, the codec
     * wrapping a byte[]) throws them all away (abstract_with_unique_concrete_subtype on AbstractMemorySegmentImpl,
     * seen with -Xlog:dependencies in a FORK standby). A no-op after the first call, bar a tiny allocation.
     */
    private static void loadHeapSegmentKind() { MemorySegment.ofArray(EMPTY); }

    private static final byte[] EMPTY = new byte[0];

    /**
     * A fresh file name in {@code dir}: {@code prefix-<pid>-<n>}.
     *
     * @param dir the directory
     * @param prefix the name's prefix
     * @return the path, not yet created
     */
    public static Path newPath(Path dir, String prefix) {
        return dir.resolve(prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
    }

    /**
     * Creates the file (it must not exist), maps it and writes the header, the version last.
     *
     * @param payloadLength bytes after the header; the payload starts zeroed
     * @throws IllegalArgumentException if the length is negative or the file exists
     * @param path the file to create
     * @param kind what lives in it ({@link SegmentDescriptor})
     * @param closable whether {@code close()} unmaps it (else it stays mapped for the JVM's life)
     * @return the segment
     */
    public static Segment create(Path path, int kind, long payloadLength, boolean closable) {
        if (payloadLength < 0) throw new IllegalArgumentException("size must not be negative: size=" + payloadLength);
        loadHeapSegmentKind();
        Arena arena = closable ? Arena.ofShared() : Arena.ofAuto();
        MemorySegment m;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            m = ch.map(FileChannel.MapMode.READ_WRITE, 0, HEADER_LENGTH + Math.max(payloadLength, 8), arena);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("a segment exists already: path=" + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create segment " + path + ": " + e.getMessage(), e);
        }
        INT.set(m, MAGIC_OFFSET, MAGIC);
        LONG.set(m, LENGTH_OFFSET, payloadLength);
        INT.set(m, KIND_OFFSET, kind);
        INT.setRelease(m, VERSION_OFFSET, VERSION);
        return new Segment(path, arena, m, payloadLength);
    }

    /**
     * Maps an existing segment and checks its header.
     *
     * @throws IllegalArgumentException if the file is missing, is not a segment, or has another version
     * @param path the file
     * @param closable whether {@code close()} unmaps it
     * @return the segment
     */
    public static Segment attach(Path path, boolean closable) {
        loadHeapSegmentKind();
        Arena arena = closable ? Arena.ofShared() : Arena.ofAuto();
        MemorySegment m;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size < HEADER_LENGTH) {
                throw new IllegalArgumentException("not a shared segment (too short): path=" + path + " size=" + size);
            }
            m = ch.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such shared segment (its creator may have ended): path=" + path, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot attach segment " + path + ": " + e.getMessage(), e);
        }
        int magic = (int) INT.get(m, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new IllegalArgumentException("not a shared segment: path=" + path + " magic=0x" + Integer.toHexString(magic));
        }
        int version = (int) INT.getAcquire(m, VERSION_OFFSET);
        if (version != VERSION) {
            throw new IllegalArgumentException("version not compatible: expected=" + VERSION + " found=" + version + " path=" + path);
        }
        long length = (long) LONG.get(m, LENGTH_OFFSET);
        if (length < 0 || HEADER_LENGTH + length > m.byteSize()) {
            throw new IllegalArgumentException("corrupt segment: path=" + path + " length=" + length + " size=" + m.byteSize());
        }
        return new Segment(path, arena, m, length);
    }

    /**
     * The segment's file.
     *
     * @return the path
     */
    public Path path() { return path; }

    /**
     * The whole mapping, header included: offsets are absolute.
     *
     * @return the whole mapping, header included
     */
    public MemorySegment memory() { return memory; }

    /**
     * The payload length given at creation.
     *
     * @return the payload's length in bytes
     */
    public long payloadLength() { return payloadLength; }

    /**
     * The payload as its own segment (offset 0 = first payload byte).
     *
     * @return the payload
     */
    public MemorySegment payload() { return memory.asSlice(HEADER_LENGTH, payloadLength); }

    /** Unmaps the segment in this process (only for segments mapped closable; otherwise a no-op). */
    @Override
    public void close() {
        try {
            arena.close();
        } catch (UnsupportedOperationException e) {
            // an automatic arena: unmapped by the garbage collector
        } catch (IllegalStateException e) {
            // already closed
        }
    }

    /**
     * Removes the file: no process can attach afterwards; existing mappings stay valid.
     *
     * @return false if it was removed already
     */
    public boolean unlink() {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove segment " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() { return "Segment[" + path + ", " + payloadLength + " bytes]"; }
}
