package io.mp4j.ipc.shm;

import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One mapping per segment file per process: attaching a handle whose file this process has mapped already
 * (a Value and its lock, the same Lock passed twice, a THREAD child) reuses that mapping.
 */
public final class Segments {
    private static final ConcurrentHashMap<String, WeakReference<Segment>> MAPPED = new ConcurrentHashMap<>();

    private Segments() {}

    /**
     * Creates a segment that stays mapped while reachable, and remembers it.
     *
     * @param dir the directory
     * @param prefix the file name's prefix
     * @param kind what lives in it
     * @param payloadLength bytes after the header
     * @return the segment
     */
    public static Segment create(Path dir, String prefix, int kind, long payloadLength) {
        Segment s = Segment.create(Segment.newPath(dir, prefix), kind, payloadLength, false);
        MAPPED.put(s.path().toString(), new WeakReference<>(s));
        return s;
    }

    /**
     * The mapping of {@code path} in this process, attaching it if needed.
     *
     * @param path the segment file
     * @return the mapping
     * @throws IllegalArgumentException if the file is missing, is not a segment, or has another version
     */
    public static Segment attach(String path) {
        WeakReference<Segment> ref = MAPPED.get(path);
        Segment s = ref == null ? null : ref.get();
        if (s != null) return s;
        synchronized (MAPPED) {
            ref = MAPPED.get(path);
            s = ref == null ? null : ref.get();
            if (s == null) {
                s = Segment.attach(Path.of(path), false);
                MAPPED.put(path, new WeakReference<>(s));
                MAPPED.values().removeIf(r -> r.get() == null);
            }
            return s;
        }
    }
}
