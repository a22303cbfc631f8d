package io.mp4j.ipc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * Optional libc calls through the foreign-function API, for the places that have a slower fallback
 * (ending a JVM, process priorities, named pipes): a call that cannot be linked here (not Linux/glibc, no
 * native access) is {@code null}, never an error. The socket and futex layers link their own, with the
 * options their hot paths need.
 */
public final class Libc {
    private Libc() {}

    /**
     * The downcall handle of libc's {@code name} with {@code descriptor}, or {@code null} if it cannot be linked.
     *
     * @param name the function's name
     * @param descriptor its signature
     * @param options linker options
     * @return the handle, or null
     */
    public static MethodHandle linkOrNull(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        try {
            Linker linker = Linker.nativeLinker();
            return linker.defaultLookup().find(name).map(s -> linker.downcallHandle(s, descriptor, options)).orElse(null);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
