package io.mp4j.cluster;

import io.mp4j.worker.JvmFlags;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster of server nodes on this machine, each a JVM of its own started with this JVM's class path, on loopback,
 * on a range of free ports: for trying a program out before it runs on several machines, and for tests. Nodes end
 * when {@link #close()} is called, when this JVM exits, and when it dies, even by SIGKILL (each watches its
 * standard input); each removes its work directory when it stops, and {@code close()} removes those of nodes that
 * were killed.
 *
 * <p>What the nodes print (a cluster process's {@code System.out}) is copied to this JVM's standard output and
 * error; Ignite's own log goes to each node's work directory.
 */
public final class LocalCluster implements AutoCloseable {
    private static final int PORTS = 20;

    private final ClusterConfig config;
    private final List<Node> nodes = new ArrayList<>();
    private final List<String> jvmOptions;
    private final Thread exitHook;
    private volatile boolean closed;

    /** One node JVM: its process and what it said when ready. */
    private record Node(Process process, CompletableFuture<String> ready) {}

    private LocalCluster(ClusterConfig config, List<String> jvmOptions) {
        this.config = config;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.exitHook = new Thread(this::stopNodes, "mp4j-local-cluster-stop");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /**
     * {@link #start(int, Duration, List)} with failure detection at 5 s and {@code -Xmx512m}.
     *
     * @param nodes the number of server JVMs, at least 1
     * @return the cluster, every node joined
     */
    public static LocalCluster start(int nodes) {
        return start(nodes, Duration.ofSeconds(5), List.of("-Xmx512m"));
    }

    /**
     * Starts {@code nodes} server JVMs on 127.0.0.1 and waits until every one has joined (at most two minutes).
     *
     * @param nodes            the number of server JVMs, at least 1
     * @param failureDetection how long a silent node is waited for (loopback: a killed node's sockets close at once,
     *                         so this matters only for a frozen one)
     * @param jvmOptions       extra options for the node JVMs
     * @throws IllegalArgumentException for fewer than 1 node
     * @return the cluster, every node joined
     * @throws IllegalStateException    when a node fails to start (its output says why); the others are stopped
     */
    public static LocalCluster start(int nodes, Duration failureDetection, List<String> jvmOptions) {
        if (nodes < 1) throw new IllegalArgumentException("a local cluster needs at least 1 node: nodes=" + nodes);
        int base = freePorts(PORTS);
        ClusterConfig c = ClusterConfig.builder().bindAddress("127.0.0.1")
                .discoveryPorts(base, PORTS / 2).communicationPorts(base + PORTS / 2, PORTS / 2)
                .failureDetectionTimeout(failureDetection).build();
        LocalCluster lc = new LocalCluster(c, jvmOptions);
        try {
            for (int i = 0; i < nodes; i++) lc.startNode();
            lc.awaitReady(Duration.ofMinutes(2));
            return lc;
        } catch (RuntimeException | Error e) {
            lc.close();
            throw e;
        }
    }

    /**
     * The configuration a client uses to join this cluster.
     *
     * @return the configuration
     */
    public ClusterConfig config() { return config; }

    /**
     * The pids of the node JVMs still running.
     *
     * @return the pids
     */
    public synchronized List<Long> pids() {
        List<Long> out = new ArrayList<>();
        for (Node n : nodes) if (n.process.isAlive()) out.add(n.process.pid());
        return out;
    }

    /**
     * Starts one more node and waits until it has joined (at most two minutes).
     *
     * @return the new node's pid
     * @throws IllegalStateException when it fails to start or join
     */
    public synchronized long addNode() {
        Node n = startNode();
        awaitReady(Duration.ofMinutes(2));
        return n.process.pid();
    }

    private synchronized Node startNode() {
        if (closed) throw new IllegalStateException("the local cluster is closed");
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmFlags.javaExecutable());
        cmd.addAll(JvmFlags.REQUIRED);
        cmd.addAll(ClusterFlags.IGNITE);
        cmd.addAll(List.of("-XX:-UsePerfData", "-XX:+UseSerialGC", "-Xms64m"));
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(NodeMain.class.getName());
        cmd.addAll(config.toArgs());
        cmd.add("--watch-stdin");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a node JVM: " + e.getMessage(), e);
        }
        CompletableFuture<String> ready = new CompletableFuture<>();
        pump(p.getInputStream(), System.out, ready, "mp4j-node-out-" + p.pid());
        pump(p.getErrorStream(), System.err, null, "mp4j-node-err-" + p.pid());
        p.onExit().thenRun(() -> ready.completeExceptionally(new IllegalStateException(
                "node " + p.pid() + " exited with status " + p.exitValue() + " before it joined (its output above says why)")));
        Node n = new Node(p, ready);
        nodes.add(n);
        return n;
    }

    /** Copies a node's output, line by line, and completes {@code ready} with its ready line. */
    private static void pump(InputStream in, PrintStream to, CompletableFuture<String> ready, String name) {
        Thread.ofPlatform().daemon(true).name(name).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (ready != null && !ready.isDone() && line.startsWith(NodeMain.READY)) {
                        ready.complete(line);
                        continue;
                    }
                    to.println(line);
                }
            } catch (IOException e) {
                // the node is gone
            }
        });
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Node> all;
        synchronized (this) {
            all = List.copyOf(nodes);
        }
        for (Node n : all) {
            try {
                n.ready.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("node " + n.process.pid() + " did not join within " + timeout.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the local cluster was starting", e);
            }
        }
    }

    /** Stops every node (SIGTERM, then SIGKILL after 20 s) and removes the work directories left behind. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
        }
        stopNodes();
        try {
            Runtime.getRuntime().removeShutdownHook(exitHook);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook runs anyway
        }
    }

    private void stopNodes() {
        List<Node> all;
        synchronized (this) {
            all = List.copyOf(nodes);
        }
        for (Node n : all) n.process.destroy();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Node n : all) {
            try {
                if (!n.process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    n.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                n.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            workDirectory(n).ifPresent(IgniteSetup::deleteTree);
        }
    }

    /** The work directory a node named in its ready line (it removes it itself unless it was killed). */
    private static java.util.Optional<Path> workDirectory(Node n) {
        String line = n.ready.getNow(null);
        if (line == null) {
            // it never said: its private directory is named after its pid
            return java.util.Optional.empty();
        }
        int at = line.indexOf(" work=");
        if (at < 0) return java.util.Optional.empty();
        String rest = line.substring(at + 6);
        int sp = rest.indexOf(' ');
        return java.util.Optional.of(Path.of(sp < 0 ? rest : rest.substring(0, sp)));
    }

    /**
     * The first of {@code count} consecutive ports free on loopback, tried from a place that depends on this JVM's
     * pid, so that two test runs side by side pick different ranges.
     */
    static int freePorts(int count) {
        long pid = ProcessHandle.current().pid();
        int slots = (60000 - 30000) / count;
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = 30000 + (int) ((pid * 31 + attempt * 7L) % slots) * count;
            if (allFree(base, count)) return base;
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found on 127.0.0.1");
    }

    private static boolean allFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                Objects.requireNonNull(s);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() { return "LocalCluster" + pids() + " " + config.addresses(); }
}
