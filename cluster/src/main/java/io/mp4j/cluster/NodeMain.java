package io.mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bin/mp4j node [OPTIONS]}: a server node of a cluster, running with the class path it was started with
 * (the user's classes must be on it: tasks name their methods and every node loads them from its own class path).
 * It joins the servers at {@code --addresses} (or forms a cluster with them) and runs until it is stopped (SIGTERM,
 * Ctrl-C) or, with {@code --watch-stdin}, until its standard input closes (the {@link LocalCluster} that started it
 * is gone, even by SIGKILL). On a clean stop it leaves the cluster and removes its private work directory.
 *
 * <p>Options: those of {@link ClusterConfig#toArgs()}: {@code --bind ADDRESS} (default 127.0.0.1),
 * {@code --discovery-port N --discovery-port-range N}, {@code --communication-port N --communication-port-range N},
 * {@code --addresses host:first..last,...}, {@code --work-dir DIR}, {@code --backups N}, {@code --failure-detection-ms N}.
 * When it has joined it prints one line, {@value #READY} followed by its pid, addresses and work directory.
 */
public final class NodeMain {
    /** The start of the line a node prints once it has joined. */
    public static final String READY = "mp4j node ready";

    private NodeMain() {}

    /**
     * Starts a server node with the options of the class comment and runs until the JVM is stopped.
     *
     * @param args the options
     * @throws Exception when the node cannot start (a bad option exits with status 2 first)
     */
    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>();
        ClusterConfig config;
        try {
            config = ClusterConfig.fromArgs(List.of(args), rest);
        } catch (IllegalArgumentException e) {
            System.err.println("mp4j node: " + e.getMessage());
            System.exit(2);
            return;
        }
        boolean watchStdin = rest.remove("--watch-stdin");
        if (!rest.isEmpty()) {
            System.err.println("mp4j node: unknown options " + rest + "; see docs/cluster.md");
            System.exit(2);
        }
        ClusterFlags.check();
        long pid = ProcessHandle.current().pid();
        boolean ownDir = config.workDirectory() == null;
        Path work = ownDir ? IgniteSetup.privateDirectory("node") : config.workDirectory();
        String name = "mp4j-node-" + pid;
        Runnable stop = () -> {
            Ignition.stop(name, true);
            IgniteSetup.closeLogger(name);
            if (ownDir) IgniteSetup.deleteTree(work);
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "mp4j-node-stop"));
        Ignite ignite = Ignition.start(IgniteSetup.configuration(config, name, false, work));
        System.out.println(READY + " pid=" + pid + " discovery=" + config.bindAddress() + ":" + config.discoveryPort()
                + ".." + (config.discoveryPort() + config.discoveryPortRange()) + " work=" + work
                + " servers=" + ignite.cluster().forServers().nodes().size());
        System.out.flush();
        if (watchStdin) {
            awaitEof(System.in);
            System.exit(0); // the shutdown hook stops the node and removes its directory
        }
    }

    private static void awaitEof(InputStream in) {
        byte[] b = new byte[256];
        try {
            while (in.read(b) >= 0) {
                // nothing is sent on the pipe; it only tells that the parent lives
            }
        } catch (IOException e) {
            // the pipe broke: the parent is gone
        }
    }
}
