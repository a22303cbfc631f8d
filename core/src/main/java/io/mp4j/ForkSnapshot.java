package io.mp4j;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.worker.Launch;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The FORK snapshot: what a fork-like child gets of its parent at {@code start()}, the JVM's honest
 * equivalent of copying memory.
 *
 * <ul>
 *   <li>system properties, except the JVM's own ({@code java.*}, {@code jdk.*}, {@code sun.*}, {@code os.*},
 *       separators and encodings);</li>
 *   <li>the values of the non-final static fields of the target's declaring class, its nested classes
 *       (recursively), and the classes registered with {@link Context#registerForSnapshot}.</li>
 * </ul>
 * The environment and working directory need no copy: a JVM cannot change its own, and standby JVMs are
 * started with the parent's. A field whose value the codec cannot encode (a thread, a stream, a lambda...)
 * keeps its initial value in the child; all such fields are named in one warning per {@code start()}.
 */
final class ForkSnapshot {
    /** The logger, made at the first warning: making it starts the application's logging back end (its configuration). */
    private static final class Log {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ForkSnapshot.class);
    }

    /** The names of the fields left out of the last snapshot taken in this JVM (for tests and diagnostics). */
    static volatile List<String> lastLeftOut = List.of();

    private ForkSnapshot() {}

    static void take(Context ctx, MpProcess p, Launch l) {
        for (String key : System.getProperties().stringPropertyNames()) {
            if (isJvmOwn(key)) continue;
            l.systemProperties.put(key, System.getProperty(key));
        }
        Set<Class<?>> classes = new LinkedHashSet<>();
        if (!p.isPoolWorker()) addWithNested(p.isSubclassTask() ? p.getClass() : p.function().declaringClass(), classes);
        for (Class<?> c : ctx.snapshotClasses()) addWithNested(c, classes);
        List<String> leftOut = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) || Modifier.isFinal(m) || f.isSynthetic()) continue;
                String fieldName = c.getName() + "." + f.getName();
                try {
                    f.setAccessible(true);
                    Object v = f.get(null);
                    Codec.encode(v, f.getGenericType()); // fails here if it cannot travel
                    l.statics.add(new Launch.StaticValue(c.getName(), f.getName(), v, f.getGenericType()));
                } catch (RuntimeException | IllegalAccessException e) {
                    leftOut.add(fieldName);
                }
            }
        }
        lastLeftOut = List.copyOf(leftOut);
        if (!leftOut.isEmpty()) {
            Log.LOG.warn("process {}: these static fields cannot travel in the fork snapshot and keep their initial value in the child: {}",
                    p.getName(), String.join(", ", leftOut));
        }
    }

    private static void addWithNested(Class<?> c, Set<Class<?>> out) {
        if (c == null || !out.add(c)) return;
        for (Class<?> n : c.getDeclaredClasses()) addWithNested(n, out);
    }

    private static boolean isJvmOwn(String key) {
        return key.startsWith("java.") || key.startsWith("jdk.") || key.startsWith("sun.") || key.startsWith("os.")
                || key.equals("file.separator") || key.equals("path.separator") || key.equals("line.separator")
                || key.equals("native.encoding") || key.equals("stdout.encoding") || key.equals("stderr.encoding")
                || key.equals("file.encoding") || key.equals("user.name") || key.equals("user.home");
    }
}
