package io.mp4j.cluster;

import org.apache.ignite.configuration.AtomicConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Stream;

/**
 * Turns a {@link ClusterConfig} into Ignite's configuration, the one place that decides how a node is set up:
 * <ul>
 *   <li>sockets bound to the configured address only (discovery and communication); Ignite's REST connector and
 *       thin-client listener are off, so those two port ranges are all a node opens;</li>
 *   <li>discovery through a static list of servers (never multicast);</li>
 *   <li>no peer class loading: tasks name their methods in the library's encoding and every node loads them from its
 *       own class path, as a local child does (and no client can push code into a server);</li>
 *   <li>the data structures' backups ({@link AtomicConfiguration}: queues, locks, semaphores and latches share one
 *       cache group, so one value everywhere);</li>
 *   <li>Ignite's log in {@code ignite.log} of the work directory, not on the console where the program prints;</li>
 *   <li>a small default data region (the structures are small).</li>
 * </ul>
 */
final class IgniteSetup {
    /** The cache that holds the elements of values and arrays (numbered keys) and the holders of locks (named keys). */
    static final String SHARED_CACHE = "mp4j-shared";

    private IgniteSetup() {}

    static IgniteConfiguration configuration(ClusterConfig c, String instanceName, boolean client, Path workDir) {
        // Ignite's "quiet" mode prints its start-up lines on standard output, where the program prints: log them instead
        if (System.getProperty("IGNITE_QUIET") == null) System.setProperty("IGNITE_QUIET", "false");
        if (System.getProperty("IGNITE_UPDATE_NOTIFIER") == null) System.setProperty("IGNITE_UPDATE_NOTIFIER", "false");
        IgniteConfiguration cfg = new IgniteConfiguration();
        cfg.setIgniteInstanceName(instanceName);
        cfg.setClientMode(client);
        cfg.setLocalHost(c.bindAddress());
        cfg.setWorkDirectory(workDir.toString());
        cfg.setPeerClassLoadingEnabled(false);
        cfg.setMetricsLogFrequency(0);
        long fd = c.failureDetectionTimeout().toMillis();
        cfg.setFailureDetectionTimeout(fd);
        cfg.setClientFailureDetectionTimeout(Math.max(fd, 2 * fd));

        TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder();
        finder.setAddresses(c.addresses());
        TcpDiscoverySpi discovery = new TcpDiscoverySpi();
        discovery.setIpFinder(finder);
        discovery.setLocalAddress(c.bindAddress());
        discovery.setLocalPort(c.discoveryPort());
        discovery.setLocalPortRange(c.discoveryPortRange());
        // a client waits for servers this long, then fails (Ignite's default: for ever)
        if (client) discovery.setJoinTimeout(3 * fd);
        cfg.setDiscoverySpi(discovery);

        TcpCommunicationSpi communication = new TcpCommunicationSpi();
        communication.setLocalAddress(c.bindAddress());
        communication.setLocalPort(c.communicationPort());
        communication.setLocalPortRange(c.communicationPortRange());
        cfg.setCommunicationSpi(communication);

        cfg.setConnectorConfiguration(null);
        cfg.setClientConnectorConfiguration(null);
        cfg.setAtomicConfiguration(new AtomicConfiguration().setBackups(c.backups()));

        DataRegionConfiguration region = new DataRegionConfiguration().setName("default")
                .setInitialSize(32L << 20).setMaxSize(256L << 20);
        cfg.setDataStorageConfiguration(new DataStorageConfiguration().setDefaultDataRegionConfiguration(region));
        cfg.setGridLogger(logger(instanceName, workDir));
        return cfg;
    }

    /** Ignite's log, in {@code ignite.log} of the node's work directory. */
    private static NodeLog logger(String instanceName, Path workDir) {
        Logger jul = Logger.getLogger("mp4j.ignite." + instanceName);
        jul.setUseParentHandlers(false);
        jul.setLevel(Level.INFO);
        for (var h : jul.getHandlers()) jul.removeHandler(h);
        try {
            Files.createDirectories(workDir);
            FileHandler fh = new FileHandler(workDir.resolve("ignite.log").toString(), true);
            fh.setFormatter(new SimpleFormatter());
            jul.addHandler(fh);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open Ignite's log in " + workDir + ": " + e.getMessage(), e);
        }
        return new NodeLog(jul, workDir.resolve("ignite.log").toString());
    }

    /** Closes the log files of {@code instanceName}'s logger (before its work directory is removed). */
    static void closeLogger(String instanceName) {
        Logger jul = Logger.getLogger("mp4j.ignite." + instanceName);
        for (var h : jul.getHandlers()) {
            jul.removeHandler(h);
            h.close();
        }
    }

    /** A private work directory: {@code <tmp>/mp4j-<pid>-<what>-<random>}, mode 0700. */
    static Path privateDirectory(String what) {
        try {
            String rnd = Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffffL);
            Path d = Path.of(System.getProperty("java.io.tmpdir")).resolve("mp4j-" + ProcessHandle.current().pid() + "-" + what + "-" + rnd);
            Files.createDirectory(d, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory: " + e.getMessage(), e);
        }
    }

    /** Removes {@code dir} and everything in it; what cannot be removed is left (best effort). */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a file still open elsewhere
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
