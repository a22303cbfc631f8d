package io.mp4j.worker;

/**
 * What a child JVM knows about itself once its launch message has been read: its name, identity,
 * start method and parent. Empty in the coordinator ({@link #isChild()} is false there).
 */
public final class ChildRuntime {
    private static volatile Launch launch;

    private ChildRuntime() {}

    /**
     * Records the launch, and makes SIGINT (the parent's {@code interrupt()}) end this child as an uncaught
     * exception in its task would, as Python's default {@code KeyboardInterrupt} does: {@code Process <name>:},
     * the task thread's stack where the signal found it, exit code 1. A handler the task installs replaces it.
     */
    static void init(Launch l) {
        launch = l;
        Thread task = Thread.currentThread();
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sig -> interrupted(l.name, task));
        } catch (IllegalArgumentException e) {
            // SIGINT is reserved here (-Xrs, or a JVM that does not let it be handled): its default stays
        }
    }

    private static void interrupted(String name, Thread task) {
        InterruptedException e = new InterruptedException("interrupted by SIGINT (the parent's interrupt(), Python's KeyboardInterrupt)");
        e.setStackTrace(task.getStackTrace());
        System.out.flush();
        synchronized (System.err) {
            System.err.println("Process " + name + ":");
            e.printStackTrace(System.err);
            System.err.flush();
        }
        FastExit.exit(1);
    }

    /**
     * Whether this JVM is a child started by the library.
     *
     * @return whether it is one
     */
    public static boolean isChild() { return launch != null; }

    /**
     * This process's name: {@code MainProcess} in the coordinator.
     *
     * @return the name
     */
    public static String name() { return launch == null ? "MainProcess" : launch.name; }

    /**
     * Python's {@code _identity} joined by ':' ("" in the coordinator, "1", "1:2"...).
     *
     * @return the identity
     */
    public static String identity() { return launch == null ? "" : launch.identity; }

    /**
     * Whether this child is a daemon.
     *
     * @return whether it is one
     */
    public static boolean daemon() { return launch != null && launch.daemon; }

    /**
     * The parent's pid, or -1 in the coordinator.
     *
     * @return the pid
     */
    public static long parentPid() { return launch == null ? -1 : launch.parentPid; }

    /**
     * The parent's name, or null in the coordinator.
     *
     * @return the name
     */
    public static String parentName() { return launch == null ? null : launch.parentName; }

    /**
     * The start method's Python name, or null in the coordinator.
     *
     * @return the name
     */
    public static String startMethod() { return launch == null ? null : launch.startMethod; }

    /**
     * The context's key, or null in the coordinator.
     *
     * @return a copy of the key
     */
    public static byte[] authkey() { return launch == null ? null : launch.authkey.clone(); }

    /**
     * The parent context's private directory, or null.
     *
     * @return the directory's path
     */
    public static String contextDir() { return launch == null ? null : launch.contextDir; }
}
