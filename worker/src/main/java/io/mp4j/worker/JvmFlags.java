package io.mp4j.worker;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** The command line of a child JVM: same JDK, same class path, the flags the library needs. */
public final class JvmFlags {
    private static final String SERIAL_GC = "-XX:+UseSerialGC";

    /** Options every JVM running the library needs: {@link io.mp4j.ipc.JvmOptions#REQUIRED}, the one list. */
    public static final List<String> REQUIRED = io.mp4j.ipc.JvmOptions.REQUIRED;

    /**
     * Start-up flags for child JVMs: no perf-data file, a small GC (lower footprint), the C heap given back
     * to the system every 2 s (what the JIT and class loading freed: a good share of a warm standby's), and
     * java.lang and java.io opened for {@link FastExit}'s look at the shutdown hooks and the delete-on-exit list.
     * Class-data sharing is on by default; {@code -Xshare} must not be given, as it excludes the AOT cache flags.
     * Options the parent chose come after these and override them (a parent's collector replaces the serial one).
     */
    public static final List<String> CHILD = List.of("-XX:-UsePerfData", SERIAL_GC,
            "-XX:TrimNativeHeapInterval=2000", "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED");


    /**
     * Flags of warm standby JVMs besides {@link #CHILD}: a small initial heap, so that what the warm-up
     * allocated does not stay resident while the standby waits (docs/journal/2026-12-07-figures-from-code-comments.md#standby-memory;
     * the heap grows again as a task needs it, up to the usual maximum).
     */
    public static final List<String> STANDBY = List.of("-Xms8m");

    private JvmFlags() {}

    /**
     * {@code cmd} run at the lowest nice value ({@code nice -n 19}) from its first instruction, for a standby
     * JVM, when its threads may raise their priority back once it is given a task ({@link WarmUpPriority});
     * otherwise {@code cmd} unchanged. Not {@code SCHED_IDLE} from the start, although the warm-up then runs
     * under it: until its parent watch runs, a JVM cannot see its parent die, and on a machine kept busy an
     * idle-policy JVM gets almost no CPU to get there, so an orphan would linger for as long as the load lasts.
     *
     * @param cmd the command
     * @return the command to run
     */
    public static List<String> atLowPriority(List<String> cmd) {
        if (!WarmUpPriority.canRestore() || !new File("/usr/bin/nice").canExecute()) return cmd;
        List<String> out = new ArrayList<>(List.of("/usr/bin/nice", "-n", "19"));
        out.addAll(cmd);
        return out;
    }

    /**
     * The {@code java} launcher of the running JDK.
     *
     * @return its path
     */
    public static String javaExecutable() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }

    /**
     * {@code java <required> <child> <mp4j.* properties> <extra> -cp <this JVM's class path> mainClass args...}:
     * for the library's own helper JVMs, which share this JVM's class path and inherit none of its options.
     *
     * @param mainClass the child's main class
     * @param extraJvmOptions options added by the caller
     * @param args the main class's arguments
     * @return the command
     */
    public static List<String> command(String mainClass, List<String> extraJvmOptions, String... args) {
        return command(mainClass, JvmSpec.ofThisJvm(extraJvmOptions), args);
    }

    /**
     * {@code java <required> <child defaults> <standby, cache> <spec's options> -cp <spec's class path> mainClass args...}.
     *
     * @param mainClass the child's main class
     * @param spec the child's class path and options
     * @param args the main class's arguments
     * @return the command
     */
    public static List<String> command(String mainClass, JvmSpec spec, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.addAll(REQUIRED);
        cmd.addAll(childDefaults(spec));
        if (mainClass.equals(ChildMain.class.getName())) {
            boolean standby = List.of(args).contains("--warm");
            if (standby) cmd.addAll(STANDBY);
            cmd.addAll(AotCache.forChildren(spec, standby ? AotCache.Variant.STANDBY : AotCache.Variant.LEAN).childFlags());
        } else if (mainClass.equals(io.mp4j.worker.forkserver.ForkServerMain.class.getName())) {
            // the fork server starts on a program's first FORKSERVER start, on its path: the lean cache holds most of
            // what it loads (the JDK's start, the library's JVM and process classes, the socket calls' links)
            cmd.addAll(AotCache.forChildren(spec, AotCache.Variant.LEAN).childFlags());
        }
        for (String o : spec.options()) if (!REQUIRED.contains(o)) cmd.add(o);
        cmd.add("-cp");
        cmd.add(spec.classPath());
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * {@link #CHILD}, less the serial collector when the spec chooses a collector of its own (two would not start).
     *
     * @param spec the child's class path and options
     * @return the default flags for that child
     */
    public static List<String> childDefaults(JvmSpec spec) {
        if (!spec.choosesCollector()) return CHILD;
        return CHILD.stream().filter(o -> !o.equals(SERIAL_GC)).toList();
    }
}
