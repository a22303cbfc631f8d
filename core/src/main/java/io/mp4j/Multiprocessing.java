package io.mp4j;

import io.mp4j.function.Task;
import io.mp4j.function.Task1;
import io.mp4j.function.Task2;
import io.mp4j.function.Task3;
import io.mp4j.function.Task4;
import io.mp4j.worker.ChildRuntime;
import io.mp4j.worker.ProcessExit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Static entry points, as Python's {@code multiprocessing} module: the default context, the current and
 * parent process, and shortcuts that use the default context.
 *
 * <p>The default start method is {@code spawn}, or the value of the system property
 * {@code mp4j.start.method} ({@code spawn}, {@code fork}, {@code forkserver}, {@code thread}), or what
 * {@link #setStartMethod} set. In a child JVM it is the method that started the child, set as Python's
 * children set theirs ({@code setStartMethod} without {@code force} then refuses to change it).
 */
public final class Multiprocessing {
    /** The system property naming the default start method. */
    public static final String START_METHOD_PROPERTY = "mp4j.start.method";

    private static final Map<StartMethod, Context> CONTEXTS = new EnumMap<>(StartMethod.class);
    private static final byte[] AUTHKEY = initialAuthkey();
    private static StartMethod defaultMethod;

    private Multiprocessing() {}

    private static byte[] initialAuthkey() {
        byte[] inherited = ChildRuntime.authkey();
        return inherited != null && inherited.length > 0 ? inherited : Context.newAuthkey();
    }

    /**
     * The context of a start method; the same object on every call.
     *
     * @param method the start method
     * @return its context
     */
    public static synchronized Context getContext(StartMethod method) {
        if (method == null) throw new IllegalArgumentException("start method must not be null");
        return CONTEXTS.computeIfAbsent(method, m -> new Context(m, AUTHKEY));
    }

    /**
     * The default context (fixing the default start method if it was not set).
     *
     * @return the default context
     */
    public static synchronized Context getContext() { return getContext(defaultStartMethod()); }

    /**
     * Python's {@code get_context("spawn")}.
     *
     * @param method a start method's Python name: spawn, fork, forkserver or thread
     * @return its context
     * @throws IllegalArgumentException for another name
     */
    public static Context getContext(String method) { return getContext(StartMethod.parse(method)); }

    /**
     * Sets the default start method, once.
     *
     * @throws IllegalStateException when it was already set (or fixed by first use) and {@code force} is false
     * @param method the default start method from now on
     * @param force whether to replace one already set
     */
    public static synchronized void setStartMethod(StartMethod method, boolean force) {
        if (method == null) throw new IllegalArgumentException("start method must not be null");
        if (defaultMethod == null) defaultMethod = startedBy(); // a child's is set already, as in Python
        if (defaultMethod != null && !force) {
            throw new IllegalStateException("context has already been set: start method=" + defaultMethod.pythonName()
                    + " (pass force=true to change it)");
        }
        defaultMethod = method;
    }

    /**
     * {@link #setStartMethod(StartMethod, boolean)} without {@code force}.
     *
     * @param method the default start method from now on
     * @throws IllegalStateException when it was already set (or fixed by first use)
     */
    public static void setStartMethod(StartMethod method) { setStartMethod(method, false); }

    /**
     * The default start method (fixing it from the system property or the built-in default if unset).
     *
     * @return the default start method
     */
    public static synchronized StartMethod getStartMethod() { return defaultStartMethod(); }

    /**
     * Every start method, the default first... as Python's {@code get_all_start_methods()}.
     *
     * @return the start methods
     */
    public static List<StartMethod> getAllStartMethods() {
        List<StartMethod> all = new ArrayList<>(List.of(StartMethod.values()));
        StartMethod d = getStartMethod();
        all.remove(d);
        all.addFirst(d);
        return all;
    }

    private static StartMethod defaultStartMethod() {
        if (defaultMethod == null) {
            StartMethod parents = startedBy();
            String p = System.getProperty(START_METHOD_PROPERTY);
            defaultMethod = parents != null ? parents : p == null || p.isBlank() ? StartMethod.SPAWN : StartMethod.parse(p);
        }
        return defaultMethod;
    }

    /** The method that started this JVM, in a child JVM of the library; null in a coordinator. */
    private static StartMethod startedBy() {
        String m = ChildRuntime.startMethod();
        if (m == null) return null;
        try {
            return StartMethod.parse(m);
        } catch (IllegalArgumentException e) {
            return null; // a warm JVM's own warm-up launch
        }
    }

    // ------------------------------------------------------------------ processes

    /**
     * {@link Context#process(Task)} of the default context.
     *
     * @param target the method the process runs
     * @return a new process, not yet started
     */
    public static MpProcess process(Task target) { return getContext().process(target); }

    /**
     * {@link Context#process(Task1, Object)} of the default context.
     *
     * @param <A> the type of the argument
     * @param target the method the process runs
     * @param a its argument
     * @return a new process, not yet started
     */
    public static <A> MpProcess process(Task1<A> target, A a) { return getContext().process(target, a); }

    /**
     * {@link Context#process(Task2, Object, Object)} of the default context.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @return a new process, not yet started
     */
    public static <A, B> MpProcess process(Task2<A, B> target, A a, B b) { return getContext().process(target, a, b); }

    /**
     * {@link Context#process(Task3, Object, Object, Object)} of the default context.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <C> the type of the third argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @param c its third argument
     * @return a new process, not yet started
     */
    public static <A, B, C> MpProcess process(Task3<A, B, C> target, A a, B b, C c) {
        return getContext().process(target, a, b, c);
    }

    /**
     * {@link Context#process(Task4, Object, Object, Object, Object)} of the default context.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <C> the type of the third argument
     * @param <D> the type of the fourth argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @param c its third argument
     * @param d its fourth argument
     * @return a new process, not yet started
     */
    public static <A, B, C, D> MpProcess process(Task4<A, B, C, D> target, A a, B b, C c, D d) {
        return getContext().process(target, a, b, c, d);
    }

    private static final class Main {
        static final MpProcess CURRENT = ChildRuntime.isChild()
                ? new MpProcess(ChildRuntime.name(), ProcessHandle.current().pid(), ChildRuntime.daemon())
                : new MpProcess("MainProcess", ProcessHandle.current().pid(), false);
        static final MpProcess PARENT = ChildRuntime.isChild()
                ? new MpProcess(ChildRuntime.parentName(), ChildRuntime.parentPid(), false) : null;
    }

    /**
     * The process running the caller: {@code MainProcess} in the coordinator, the child's own name in a child.
     *
     * @return the current process
     */
    public static MpProcess currentProcess() {
        MpProcess t = ThreadChild.CURRENT.get();
        return t != null ? t : Main.CURRENT;
    }

    /**
     * The parent of the current process, or {@code null} in the coordinator.
     *
     * @return the parent process, or null
     */
    public static MpProcess parentProcess() {
        if (ThreadChild.CURRENT.get() != null) return Main.CURRENT;
        return Main.PARENT;
    }

    /**
     * The children started by this JVM that are still alive (and reaps those that ended).
     *
     * @return the live children
     */
    public static List<MpProcess> activeChildren() { return ActiveChildren.list(); }

    /**
     * The JVM options an application using the library must be started with, in {@code java} command-line form:
     * {@code --add-opens=java.base/java.lang.reflect=ALL-UNNAMED}, {@code --add-exports=java.base/sun.nio.ch=ALL-UNNAMED},
     * {@code --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED}, {@code --enable-native-access=ALL-UNNAMED},
     * {@code --sun-misc-unsafe-memory-access=allow}. Without the first two, making a queue fails at once with an
     * {@link IllegalStateException} naming what is missing; without the others the JDK prints warnings. Child JVMs
     * get them from the library. {@code bin/mp4j jvm-options} prints this list; docs/embedding.md shows where each
     * kind of launch takes them (command line, {@code MAVEN_OPTS}, Surefire's {@code argLine}, a jar's manifest).
     *
     * @return the options, one per element, in a list that cannot be modified
     */
    public static List<String> requiredJvmOptions() { return io.mp4j.ipc.JvmOptions.REQUIRED; }

    /**
     * The number of processors this JVM may use.
     *
     * @return the number of processors
     */
    public static int cpuCount() { return Runtime.getRuntime().availableProcessors(); }

    /**
     * Ends the current process with {@code code}, as Python's {@code sys.exit(code)}: a child JVM exits with
     * that status; a THREAD process ends its thread with that exit code; in the coordinator, the JVM exits.
     *
     * @param code the exit status
     */
    public static void exit(int code) {
        if (ThreadChild.CURRENT.get() != null) throw new ProcessExit(code);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }
}
