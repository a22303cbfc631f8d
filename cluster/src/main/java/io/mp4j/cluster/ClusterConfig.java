package io.mp4j.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a cluster's nodes are and how they talk: the address a node binds to, its discovery and communication
 * ports, the servers' discovery addresses, a work directory, the number of backups of queues, locks and values,
 * and the failure-detection timeout. A server node ({@code bin/mp4j node}) and the client node inside an
 * application ({@link ClusterContext#connect}) are made from one. Nodes join the cluster whose servers answer at
 * {@link #addresses()}: clusters are told apart by ports and addresses only.
 *
 * <p>Defaults: bind to 127.0.0.1 (loopback: nothing off this machine can reach the node), Ignite's ports
 * (discovery 47500-47509, communication 47100-47109), the servers at the bind address's discovery ports, one backup,
 * failure detection 10 s. Immutable; make one with {@link #builder()}.
 *
 * @param bindAddress             the address the node's sockets bind to (and announce)
 * @param discoveryPort           the first discovery port a node tries
 * @param discoveryPortRange      how many discovery ports after the first it may try (one node per port)
 * @param communicationPort       the first communication port
 * @param communicationPortRange  how many communication ports it may try
 * @param addresses               the servers' discovery addresses, {@code host:port} or {@code host:first..last}
 * @param workDirectory           the node's work directory, or null for a private one removed when the node stops
 * @param backups                 copies of each queue, lock, semaphore and value on other nodes (0: lost with their node)
 * @param failureDetectionTimeout how long a silent node is waited for before it is taken for dead
 */
public record ClusterConfig(String bindAddress, int discoveryPort, int discoveryPortRange, int communicationPort,
                            int communicationPortRange, List<String> addresses, Path workDirectory, int backups,
                            Duration failureDetectionTimeout) {
    /** Checks every value; the message names the one that is wrong. */
    public ClusterConfig {
        if (bindAddress == null || bindAddress.isBlank()) throw new IllegalArgumentException("bindAddress must be an address: bindAddress=" + bindAddress);
        checkPort("discoveryPort", discoveryPort, discoveryPortRange);
        checkPort("communicationPort", communicationPort, communicationPortRange);
        if (addresses == null || addresses.isEmpty()) throw new IllegalArgumentException("addresses must name at least one server: addresses=" + addresses);
        for (String a : addresses) {
            if (a == null || !a.matches("[^:\\s]+:\\d{1,5}(\\.\\.\\d{1,5})?")) {
                throw new IllegalArgumentException("an address is host:port or host:first..last: address=" + a);
            }
        }
        addresses = List.copyOf(addresses);
        if (backups < 0) throw new IllegalArgumentException("backups must not be negative: backups=" + backups);
        if (failureDetectionTimeout == null || failureDetectionTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("failureDetectionTimeout must be at least 100 ms: failureDetectionTimeout=" + failureDetectionTimeout);
        }
    }

    private static void checkPort(String name, int port, int range) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException(name + " must be 1-65535: " + name + "=" + port);
        if (range < 0 || port + range > 65535) throw new IllegalArgumentException(name + "Range must keep the ports below 65536: " + name + "=" + port + " range=" + range);
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() { return new Builder(); }

    /**
     * A builder starting from this configuration's values.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.discoveryPort = discoveryPort;
        b.discoveryPortRange = discoveryPortRange;
        b.communicationPort = communicationPort;
        b.communicationPortRange = communicationPortRange;
        b.addresses = new ArrayList<>(addresses);
        b.workDirectory = workDirectory;
        b.backups = backups;
        b.failureDetectionTimeout = failureDetectionTimeout;
        return b;
    }

    /** Makes a {@link ClusterConfig}; {@link #build()} checks the values. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int discoveryPort = 47500;
        private int discoveryPortRange = 10;
        private int communicationPort = 47100;
        private int communicationPortRange = 10;
        private List<String> addresses;
        private Path workDirectory;
        private int backups = 1;
        private Duration failureDetectionTimeout = Duration.ofSeconds(10);

        Builder() {}

        /**
         * The address to bind to (default 127.0.0.1; a machine's own address to form a cluster of several machines).
         *
         * @param a an address of this machine
         * @return this builder
         */
        public Builder bindAddress(String a) { this.bindAddress = a; return this; }

        /**
         * The first discovery port and how many more a node may try (default 47500, 10).
         *
         * @param first the first port
         * @param range how many ports from {@code first} a node may try
         * @return this builder
         */
        public Builder discoveryPorts(int first, int range) { this.discoveryPort = first; this.discoveryPortRange = range; return this; }

        /**
         * The first communication port and how many more a node may try (default 47100, 10).
         *
         * @param first the first port
         * @param range how many ports from {@code first} a node may try
         * @return this builder
         */
        public Builder communicationPorts(int first, int range) { this.communicationPort = first; this.communicationPortRange = range; return this; }

        /**
         * The servers' discovery addresses; default the bind address's discovery ports.
         *
         * @param a addresses as {@code host:port} or {@code host:first..last}, or null for the default
         * @return this builder
         */
        public Builder addresses(List<String> a) { this.addresses = a == null ? null : new ArrayList<>(a); return this; }

        /**
         * The node's work directory (default: a private one, removed when the node stops).
         *
         * @param d the directory, or null for the default
         * @return this builder
         */
        public Builder workDirectory(Path d) { this.workDirectory = d; return this; }

        /**
         * Backups of queues, locks, semaphores and values (default 1: each survives the death of one node).
         *
         * @param n the number of backups, at least 0
         * @return this builder
         */
        public Builder backups(int n) { this.backups = n; return this; }

        /**
         * How long a silent node is waited for before it counts as failed (default 10 s).
         *
         * @param d the timeout
         * @return this builder
         */
        public Builder failureDetectionTimeout(Duration d) { this.failureDetectionTimeout = d; return this; }

        /**
         * The configuration.
         *
         * @return the configuration of this builder's values
         * @throws IllegalArgumentException naming a port out of range, a bad address, a negative backups count or a timeout under 100 ms
         */
        public ClusterConfig build() {
            List<String> a = addresses != null ? addresses
                    : List.of(bindAddress + ":" + discoveryPort + ".." + (discoveryPort + Math.max(0, discoveryPortRange - 1)));
            return new ClusterConfig(bindAddress, discoveryPort, discoveryPortRange, communicationPort, communicationPortRange,
                    a, workDirectory, backups, failureDetectionTimeout);
        }
    }

    /**
     * The command-line options of {@code bin/mp4j node} that give this configuration.
     *
     * @return the options, with their values
     */
    public List<String> toArgs() {
        List<String> out = new ArrayList<>(List.of("--bind", bindAddress,
                "--discovery-port", Integer.toString(discoveryPort), "--discovery-port-range", Integer.toString(discoveryPortRange),
                "--communication-port", Integer.toString(communicationPort), "--communication-port-range", Integer.toString(communicationPortRange),
                "--addresses", String.join(",", addresses), "--backups", Integer.toString(backups),
                "--failure-detection-ms", Long.toString(failureDetectionTimeout.toMillis())));
        if (workDirectory != null) {
            out.add("--work-dir");
            out.add(workDirectory.toString());
        }
        return out;
    }

    /**
     * Reads {@code bin/mp4j node}'s options (those of {@link #toArgs()}) into a configuration; options it does not
     * know are returned in {@code rest}.
     *
     * @param args the options
     * @param rest receives the options it does not know
     * @return the configuration
     *
     * @throws IllegalArgumentException naming an option without a value or a value that is not a number
     */
    public static ClusterConfig fromArgs(List<String> args, List<String> rest) {
        Builder b = builder();
        int dp = 47500, dr = 10, cp = 47100, cr = 10;
        for (int i = 0; i < args.size(); i++) {
            String k = args.get(i);
            if (!k.startsWith("--") || k.equals("--watch-stdin")) {
                rest.add(k);
                continue;
            }
            if (i + 1 >= args.size()) throw new IllegalArgumentException("option " + k + " needs a value");
            String v = args.get(++i);
            switch (k) {
                case "--bind" -> b.bindAddress(v);
                case "--discovery-port" -> dp = number(k, v);
                case "--discovery-port-range" -> dr = number(k, v);
                case "--communication-port" -> cp = number(k, v);
                case "--communication-port-range" -> cr = number(k, v);
                case "--addresses" -> b.addresses(List.of(v.split(",")));
                case "--work-dir" -> b.workDirectory(Path.of(v));
                case "--backups" -> b.backups(number(k, v));
                case "--failure-detection-ms" -> b.failureDetectionTimeout(Duration.ofMillis(number(k, v)));
                default -> {
                    rest.add(k);
                    rest.add(v);
                }
            }
        }
        return b.discoveryPorts(dp, dr).communicationPorts(cp, cr).build();
    }

    private static int number(String option, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + option + " takes a number: " + option + "=" + v);
        }
    }
}
