package io.mp4j.worker;

/**
 * What a child JVM knows about itself once its launch message has been read: its name, identity,
 * start method and parent. Empty in the coordinator ({@link #isChild()} is false there).
 */
public final class ChildRuntime {
    private static volatile Launch launch;

    private ChildRuntime() {}

    static void init(Launch l) { launch = l; }

    public static boolean isChild() { return launch != null; }

    public static String name() { return launch == null ? "MainProcess" : launch.name; }

    /** Python's {@code _identity} joined by ':' ("" in the coordinator, "1", "1:2"...). */
    public static String identity() { return launch == null ? "" : launch.identity; }

    public static boolean daemon() { return launch != null && launch.daemon; }

    public static long parentPid() { return launch == null ? -1 : launch.parentPid; }

    public static String parentName() { return launch == null ? null : launch.parentName; }

    public static String startMethod() { return launch == null ? null : launch.startMethod; }

    public static byte[] authkey() { return launch == null ? null : launch.authkey.clone(); }

    public static String contextDir() { return launch == null ? null : launch.contextDir; }
}
