package io.mp4j.ipc.shm;

/**
 * Layout of the header at the start of every shared segment file.
 *
 * <pre>
 *   0                   4                   8                                  16
 *   +-------------------+-------------------+----------------------------------+
 *   | magic 'MP4J'      | version (last)    | payload length (bytes)           |
 *   +-------------------+-------------------+----------------------------------+
 *  16 | kind (int: what lives here)  | reserved ... up to 64                 |
 *  64 | payload ...                                                           |
 * </pre>
 *
 * The creator writes magic, length and kind, then the version with a release store
 * ({@link Segment#create}); attach checks the magic, then the version ("version not compatible"), then
 * the length against the file's size. The payload starts on a cache line.
 */
public final class SegmentDescriptor {
    /** The first int of every segment: the bytes 'P', 'M', '4', 'J'. */
    public static final int MAGIC = 0x4A344D50; // "PM4J" little-endian: bytes 'P','M','4','J'
    /** The header's version; attach refuses another. */
    public static final int VERSION = 1;

    /** Offset of the magic int. */
    public static final long MAGIC_OFFSET = 0;
    /** Offset of the version int, written last. */
    public static final long VERSION_OFFSET = 4;
    /** Offset of the payload's length (a long). */
    public static final long LENGTH_OFFSET = 8;
    /** Offset of the kind (an int). */
    public static final long KIND_OFFSET = 16;
    /** The header's length: the payload starts on a cache line. */
    public static final long HEADER_LENGTH = 64;

    /** Kinds of segment (diagnostics only: attach does not need them). */
    public static final int KIND_RAW = 0, KIND_VALUE = 1, KIND_ARRAY = 2, KIND_SYNC = 3, KIND_SHARED_MEMORY = 4;

    private SegmentDescriptor() {}
}
