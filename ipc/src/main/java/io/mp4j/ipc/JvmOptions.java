package io.mp4j.ipc;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options a JVM that uses the library needs: the one list that the launcher ({@code bin/mp4j jvm-options}),
 * the build's test configuration, child JVMs and the documentation are checked against.
 *
 * <ul>
 *   <li>{@code --add-opens=java.base/java.lang.reflect} and {@code --add-exports=java.base/sun.nio.ch}: Chronicle
 *       Queue (behind every queue) maps its files through the JDK's internals; without them it fails inside its
 *       first write, with an {@code AssertionError} or a misleading "read-only chronicle".</li>
 *   <li>{@code --add-exports=java.base/jdk.internal.ref}: Chronicle frees its buffers with the JDK's cleaner;
 *       without it, it logs a warning and works.</li>
 *   <li>{@code --enable-native-access=ALL-UNNAMED}: the locks' futex and the connections' socket calls go
 *       through the foreign-function API; without it JDK 25 prints a warning at the first call.</li>
 *   <li>{@code --sun-misc-unsafe-memory-access=allow}: Chronicle's memory access; without it JDK 25 prints a
 *       warning. There is no manifest attribute for it.</li>
 * </ul>
 * Chronicle's own switches (analytics, banner) are set by the library before Chronicle loads, so they are not
 * needed on the command line.
 */
public final class JvmOptions {
    /** Every option, in the form of the {@code java} command line. */
    public static final List<String> REQUIRED = List.of(
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
            "--enable-native-access=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow");

    /** What to tell a user who lacks an option: where each kind of launch takes them. */
    public static final String WHERE = "add them to the java command line (all of them: `bin/mp4j jvm-options` or"
            + " Multiprocessing.requiredJvmOptions() prints the list), to MAVEN_OPTS or .mvn/jvm.config for"
            + " `mvn exec:java`, to Surefire's argLine for tests, to applicationDefaultJvmArgs for Gradle's"
            + " application plugin, or to an executable jar's manifest (Add-Opens: java.base/java.lang.reflect,"
            + " Add-Exports: java.base/sun.nio.ch java.base/jdk.internal.ref, Enable-Native-Access: ALL-UNNAMED);"
            + " see docs/embedding.md";

    private JvmOptions() {}

    /**
     * Prints {@link #REQUIRED}, one a line ({@code bin/mp4j jvm-options}).
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        for (String o : REQUIRED) System.out.println(o);
    }

    /**
     * The options among {@link #REQUIRED} without which queues fail, that this JVM lacks for {@code user}'s
     * module (the module of the classes that use the JDK's internals); empty when none is missing.
     *
     * @param user the module that uses the JDK's internals
     * @return the missing options
     */
    public static List<String> missingForQueues(Module user) {
        Module base = Object.class.getModule();
        List<String> missing = new ArrayList<>();
        if (!base.isOpen("java.lang.reflect", user)) missing.add(REQUIRED.get(0));
        if (!base.isExported("sun.nio.ch", user)) missing.add(REQUIRED.get(1));
        return missing;
    }

    /**
     * Fails at once, before Chronicle is touched, when this JVM lacks an option queues need: Chronicle would
     * otherwise fail inside its first write, after the program has started consumers that then wait for good.
     *
     * @param what the call that needs them, for the message ({@code "ctx.queue()"})
     * @throws IllegalStateException naming the missing options and where to put them
     */
    public static void checkForQueues(String what) {
        // the library's module: Chronicle comes with it (the same loader's unnamed module, which ALL-UNNAMED covers);
        // not one of Chronicle's classes, whose mere loading a queue's attach avoids
        List<String> missing = missingForQueues(JvmOptions.class.getModule());
        if (missing.isEmpty()) return;
        throw new IllegalStateException(what + " needs JVM options that this JVM was started without: "
                + String.join(" ", missing) + ". The library needs " + String.join(" ", REQUIRED) + ": " + WHERE);
    }

    private static volatile boolean nativeAccessGranted;

    /**
     * Fails at once when this JVM refuses the library's foreign-function calls ({@code --illegal-native-access=deny}
     * without {@code --enable-native-access}): a restricted call that does nothing tells, before any lock is made.
     * Under JDK 25's default ({@code warn}) it passes, and the JDK prints its warning once.
     *
     * @param what the call that needs it, for the message ({@code "a lock"})
     * @throws IllegalStateException naming the missing option and where to put it
     */
    public static void checkNativeAccess(String what) {
        if (nativeAccessGranted) return;
        try {
            java.lang.foreign.MemorySegment.NULL.reinterpret(0);
            nativeAccessGranted = true;
        } catch (IllegalCallerException e) {
            throw nativeAccessRefused(what, e);
        }
    }

    /**
     * The error for a foreign-function call that the JVM refused ({@code --illegal-native-access=deny}, or a named
     * module without native access).
     *
     * @param what the call that needs it, for the message
     * @param cause the JDK's refusal
     * @return the exception, to throw
     */
    public static IllegalStateException nativeAccessRefused(String what, Throwable cause) {
        return new IllegalStateException(what + " needs native access, which this JVM refuses to "
                + JvmOptions.class.getModule() + ": add --enable-native-access=ALL-UNNAMED; the library needs "
                + String.join(" ", REQUIRED) + ": " + WHERE, cause);
    }
}
