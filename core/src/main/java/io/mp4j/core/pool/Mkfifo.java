package io.mp4j.core.pool;

import io.mp4j.ipc.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * libc's {@code mkfifo(path, 0600)} through the foreign-function API: a pool makes two named pipes per
 * worker, and running the {@code mkfifo} command for them added a process spawned from a large JVM to every
 * worker's start (docs/journal/2026-12-07-figures-from-code-comments.md#pools).
 */
final class Mkfifo {
    private static final MethodHandle MKFIFO;
    private static final VarHandle ERRNO;
    private static final long CAPTURE_SIZE;

    static {
        var capture = Linker.Option.captureStateLayout();
        ERRNO = capture.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        CAPTURE_SIZE = capture.byteSize();
        // null where it cannot be linked (not Linux/glibc, no native access): callers use the command
        MKFIFO = Libc.linkOrNull("mkfifo", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
                Linker.Option.captureCallState("errno"));
    }

    private Mkfifo() {}

    /**
     * Makes a named pipe readable and writable by this user only.
     *
     * @return false when the call is not available here (the caller uses the command)
     * @throws IOException when the call failed (the path exists, the directory is gone...), naming the path and errno
     */
    static boolean make(Path path) throws IOException {
        if (MKFIFO == null) return false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE_SIZE, 8);
            int r = (int) MKFIFO.invokeExact(state, arena.allocateFrom(path.toString()), 0600);
            if (r != 0) throw new IOException("mkfifo " + path + " failed: errno " + (int) ERRNO.get(state, 0L));
            return true;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            return false;
        }
    }
}
