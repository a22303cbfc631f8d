package io.mp4j.cluster;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration of nodes and clients, without a cluster. */
class ClusterConfigTest {
    @Test
    void theDefaultsBindToLoopbackAndFindTheServersThere() {
        ClusterConfig c = ClusterConfig.builder().build();
        assertThat(c.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(c.addresses()).containsExactly("127.0.0.1:47500..47509");
        assertThat(c.backups()).isEqualTo(1);
    }

    @Test
    void aNodesOptionsReadBackAsTheSameConfiguration() {
        ClusterConfig c = ClusterConfig.builder().bindAddress("10.0.0.5").discoveryPorts(40000, 5).communicationPorts(40010, 5)
                .addresses(List.of("10.0.0.5:40000..40004", "10.0.0.6:40000")).workDirectory(Path.of("/var/mp4j"))
                .backups(2).failureDetectionTimeout(Duration.ofSeconds(3)).build();
        List<String> rest = new ArrayList<>();
        List<String> args = new ArrayList<>(c.toArgs());
        args.add("--watch-stdin");
        assertThat(ClusterConfig.fromArgs(args, rest)).isEqualTo(c);
        assertThat(rest).containsExactly("--watch-stdin");
    }

    @Test
    void wrongValuesAreRefusedNamingThem() {
        assertThatThrownBy(() -> ClusterConfig.builder().backups(-1).build()).hasMessageContaining("backups=-1");
        assertThatThrownBy(() -> ClusterConfig.builder().discoveryPorts(70000, 1).build()).hasMessageContaining("discoveryPort=70000");
        assertThatThrownBy(() -> ClusterConfig.builder().addresses(List.of("nohost")).build()).hasMessageContaining("address=nohost");
        assertThatThrownBy(() -> ClusterConfig.builder().failureDetectionTimeout(Duration.ofMillis(5)).build())
                .hasMessageContaining("failureDetectionTimeout=PT0.005S");
        assertThatThrownBy(() -> ClusterConfig.fromArgs(List.of("--backups", "two"), new ArrayList<>())).hasMessageContaining("--backups=two");
        assertThatThrownBy(() -> ClusterConfig.fromArgs(List.of("--bind"), new ArrayList<>())).hasMessageContaining("--bind needs a value");
        assertThatThrownBy(() -> LocalCluster.start(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodes=0");
    }

    @Test
    void freePortsAreFreeOnLoopback() throws Exception {
        int base = LocalCluster.freePorts(4);
        for (int p = base; p < base + 4; p++) {
            try (var s = new java.net.ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(p);
            }
        }
    }
}
