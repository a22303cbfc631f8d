package io.mp4j.ipc;

/**
 * Whether this JVM runs as a child of a coordinator, as its bootstrap says before it decodes anything: a neutral
 * flag, so that what lives in this module can behave as a child should (a queue that arrives in a child opens its
 * log while the child starts) without knowing who starts children.
 */
public final class ChildFlag {
    private static volatile boolean child;

    private ChildFlag() {}

    /** Called once by a child's bootstrap, first thing. */
    public static void set() { child = true; }

    /** {@return true in a JVM whose bootstrap called {@link #set}; false in the coordinator} */
    public static boolean isChild() { return child; }
}
