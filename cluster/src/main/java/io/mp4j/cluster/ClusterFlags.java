package io.mp4j.cluster;

import java.util.List;

/**
 * The JVM flags every JVM that runs an Ignite node needs (a server node, or the client node inside an application),
 * besides the library's own ({@code io.mp4j.ipc.JvmOptions.REQUIRED}): Ignite's add-opens for Java 15+ (its
 * {@code bin/include/jvmdefaults.sh}); without them a node fails at start with {@code InaccessibleObjectException}.
 * Kept in sync with the parent pom's {@code mp4j.ignite.flags}; {@code bin/mp4j} reads them from {@link #main}.
 */
public final class ClusterFlags {
    /**
     * Ignite's opens, IPv4 sockets, no update check (a node must not call out of the cluster), and Ignite's start-up
     * lines in its log rather than on the console (its "quiet" mode prints them to standard output).
     */
    public static final List<String> IGNITE = List.of(
            "--add-opens=java.base/jdk.internal.access=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.management/com.sun.jmx.mbeanserver=ALL-UNNAMED",
            "--add-opens=jdk.internal.jvmstat/sun.jvmstat.monitor=ALL-UNNAMED",
            "--add-opens=java.base/sun.reflect.generics.reflectiveObjects=ALL-UNNAMED",
            "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.math=ALL-UNNAMED",
            "--add-opens=java.sql/java.sql=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.management/sun.management=ALL-UNNAMED",
            "--add-opens=java.desktop/java.awt.font=ALL-UNNAMED",
            "-Djava.net.preferIPv4Stack=true",
            "-DIGNITE_UPDATE_NOTIFIER=false",
            "-DIGNITE_QUIET=false");

    private ClusterFlags() {}

    /**
     * Prints {@link #IGNITE}, one a line: {@code bin/mp4j} writes them to a file at build time and adds them to the
     * JVMs it starts, so that this list is their one source.
     *
     * @param args none
     */
    public static void main(String[] args) {
        for (String flag : IGNITE) System.out.println(flag);
    }

    /** Fails, naming the flag, when this JVM was started without one that Ignite needs (java.nio is opened last by nobody else). */
    static void check() {
        if (!Object.class.getModule().isOpen("java.nio", ClusterFlags.class.getModule())) {
            throw new IllegalStateException("this JVM lacks the flags an Ignite node needs (--add-opens=java.base/java.nio=ALL-UNNAMED"
                    + " and the rest of io.mp4j.cluster.ClusterFlags.IGNITE); bin/mp4j run adds them; see docs/cluster.md");
        }
    }
}
