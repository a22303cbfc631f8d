package io.mp4j.ipc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The one place where the library links libc functions through the foreign-function API: the futex
 * ({@code syscall}), the sockets and descriptor passing of {@code ipc.connection}, ending a JVM, process
 * priorities. Each caller keeps the handles it links (in holder classes, linked on first use: linking costs
 * milliseconds in a fresh JVM); this class only looks symbols up and links them, the same way for all.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LOOKUP = LINKER.defaultLookup();

    private Libc() {}

    /**
     * The downcall handle of libc's {@code name} with {@code descriptor} and {@code options}.
     *
     * @param name the function's name
     * @param descriptor its signature
     * @param options linker options
     * @return the handle
     * @throws UnsatisfiedLinkError when libc has no such function
     */
    public static MethodHandle link(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name)), descriptor, options);
    }

    /**
     * {@link #link}, or {@code null} where it cannot be linked (not Linux/glibc, no native access), for the
     * callers that have a slower fallback.
     *
     * @param name the function's name
     * @param descriptor its signature
     * @param options linker options
     * @return the handle, or null
     */
    public static MethodHandle linkOrNull(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        try {
            return link(name, descriptor, options);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
