package io.mp4j.ipc.shm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Python's {@code multiprocessing.shared_memory.SharedMemory}: a named block of bytes shared by processes.
 * {@link #close()} unmaps it in this process; {@link #unlink()} removes the name (once, from any process):
 * processes that have it mapped keep using it. Names of tracked blocks (the default) live in a context's
 * private directory, so such a block is found by its name in the context that made it and in that context's
 * children (or passed as an argument: it travels as a handle), and is removed when that context ends. An
 * untracked block (Python's {@code track=False}) lives outside every context until unlinked; see
 * {@link #open(Path, List, String, boolean, long, boolean)}.
 *
 * <pre>{@code
 * SharedMemory shm = ctx.sharedMemory(null, true, 1024);
 * shm.buf().set(ValueLayout.JAVA_BYTE, 0, (byte) 42);
 * // in a child:  SharedMemory same = ctx.sharedMemory(shm.name(), false, 0);
 * shm.close();
 * shm.unlink();
 * }</pre>
 *
 * <p>Plain memory: no ordering beyond what the caller's accesses give (use a Lock, or VarHandles on
 * {@link #buf()}). Accessing {@link #buf()} after {@link #close()} throws {@link IllegalStateException}.
 */
public final class SharedMemory implements Shareable, AutoCloseable {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(SharedMemory.class, SharedMemory.Handle.class, SharedMemory::handle, SharedMemory::attach);
    }

    static final String PREFIX = "shm-";

    /**
     * What travels: the name and the file.
     *
     * @param name the block's name
     * @param path its segment file
     */
    public record Handle(String name, String path) {}

    private final String name;
    private final Segment segment;
    private final MemorySegment buf;

    private SharedMemory(String name, Segment segment) {
        this.name = name;
        this.segment = segment;
        this.buf = segment.payload();
    }

    /**
     * Python's {@code SharedMemory(name, create, size)}: {@link #open(Path, List, String, boolean, long, boolean)}
     * with {@code track} true.
     *
     * @param dir        where new blocks are made (the context's private directory)
     * @param searchDirs where existing blocks are looked up by name, in order
     * @param name       the name, or null for a fresh random one (create only)
     * @param create     whether to create it (else attach to an existing one)
     * @param size       its size in bytes when created
     * @return the block
     * @throws NoSuchFileException if not {@code create} and no block has the name
     */
    public static SharedMemory open(Path dir, List<Path> searchDirs, String name, boolean create, long size)
            throws NoSuchFileException {
        return open(dir, searchDirs, name, create, size, true);
    }

    /**
     * Python's {@code SharedMemory(name, create, size, track=track)}.
     *
     * <p>A tracked block ({@code track} true, Python's default) is made in {@code dir}, the context's private
     * directory: it is removed when that context ends, however its process ends, unless unlinked before. An
     * untracked block is made in this user's directory for untracked blocks ({@link #untrackedDir()}, mode 0700),
     * outside every context: any process of the user finds it by name, and it stays until some process calls
     * {@link #unlink()} (Python's {@code track=False}: the caller is responsible for unlinking). A lookup by name
     * searches {@code searchDirs} in order, then the untracked blocks.
     *
     * @param dir        where new tracked blocks are made (the context's private directory)
     * @param searchDirs where existing blocks are looked up by name, in order (this context's, then its parent's)
     * @param name       the name (a leading '/' is ignored), or null for a fresh random one (create only)
     * @param create     whether to create it (else attach to an existing one)
     * @param size       its size in bytes when created
     * @param track      whether the block goes with the context ({@code dir}) or stays until unlinked
     * @return the block
     * @throws NoSuchFileException if not {@code create} and no block has the name (Python's {@code FileNotFoundError})
     * @throws IllegalArgumentException if create and the name exists, if the size is not positive on create, or
     *                                  for an invalid name
     */
    public static SharedMemory open(Path dir, List<Path> searchDirs, String name, boolean create, long size, boolean track)
            throws NoSuchFileException {
        if (create) {
            if (size <= 0) throw new IllegalArgumentException("'size' must be a positive number different from zero: size=" + size);
            String n = name == null ? "psm_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(4)) : checkName(name);
            try {
                return new SharedMemory(n, track ? Segment.create(dir.resolve(PREFIX + n), SegmentDescriptor.KIND_SHARED_MEMORY, size, true)
                        : createUntracked(n, size));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("shared memory exists already: name=" + n, e);
            }
        }
        if (name == null) throw new IllegalArgumentException("'name' can only be null if create=true");
        String n = checkName(name);
        for (Path d : searchDirs) {
            if (d == null) continue;
            Path p = d.resolve(PREFIX + n);
            if (Files.exists(p)) return new SharedMemory(n, Segment.attach(p, true));
        }
        Path p = untrackedDir().resolve(PREFIX + n);
        if (Files.exists(p)) return new SharedMemory(n, Segment.attach(p, true));
        throw new NoSuchFileException(PREFIX + n, null, "no shared memory with this name: name=" + n);
    }

    /**
     * Where this user's untracked blocks live: {@code mp4j-untracked-<user>} under {@code /dev/shm} (or the
     * temporary directory), mode 0700; it is removed when its last block is unlinked.
     *
     * @return the directory
     */
    public static Path untrackedDir() {
        Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("mp4j-untracked-" + System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_"));
    }

    private static Segment createUntracked(String name, long size) {
        Path dir = untrackedDir();
        for (int attempt = 0; ; attempt++) {
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException e) {
                // made before, by this user or by one of its processes just now
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make the directory of untracked shared memory " + dir + ": " + e.getMessage(), e);
            }
            try {
                return Segment.create(dir.resolve(PREFIX + name), SegmentDescriptor.KIND_SHARED_MEMORY, size, true);
            } catch (UncheckedIOException e) {
                // the directory was removed meanwhile by the unlink of its last block: make it again
                if (!(e.getCause() instanceof NoSuchFileException) || attempt > 3) throw e;
            }
        }
    }

    private static String checkName(String name) {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (n.isEmpty() || n.contains("/") || n.equals(".") || n.equals("..") || n.length() > 200) {
            throw new IllegalArgumentException("invalid shared memory name: name=" + name);
        }
        return n;
    }

    /**
     * Re-attaches a block from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same block
     * @throws IllegalArgumentException if the segment is missing or of an incompatible version
     */
    @JsonCreator
    public static SharedMemory attach(Handle h) { return new SharedMemory(h.name(), Segment.attach(Path.of(h.path()), true)); }

    /**
     * The handle this block travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() { return new Handle(name, segment.path().toString()); }

    /**
     * The name other processes open it by.
     *
     * @return the name
     */
    public String name() { return name; }

    /**
     * The size in bytes, as given at creation.
     *
     * @return the size in bytes
     */
    public long size() { return segment.payloadLength(); }

    /**
     * The bytes (Python's {@code buf}).
     *
     * @return the bytes
     */
    public MemorySegment buf() { return buf; }

    /**
     * The bytes as a native-order ByteBuffer.
     *
     * @return a buffer over the bytes
     */
    public ByteBuffer asByteBuffer() { return buf.asByteBuffer().order(ByteOrder.nativeOrder()); }

    /** Unmaps the block in this process (idempotent). */
    @Override
    public void close() { segment.close(); }

    /**
     * Removes the name so that no process can open it any more; mappings stay valid.
     *
     * @throws IllegalStateException if it was unlinked already (by any process)
     */
    public void unlink() {
        if (!segment.unlink()) throw new IllegalStateException("shared memory was unlinked already: name=" + name);
        Path parent = segment.path().getParent();
        if (parent != null && parent.equals(untrackedDir())) {
            try {
                Files.delete(parent); // the last untracked block gone: leave nothing behind
            } catch (IOException e) {
                // other blocks remain (DirectoryNotEmptyException), or another process removed it
            }
        }
    }

    @Override
    public String toString() { return "SharedMemory('" + name + "', size=" + size() + ")"; }
}
