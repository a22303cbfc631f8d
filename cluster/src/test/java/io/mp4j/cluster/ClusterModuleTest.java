package io.mp4j.cluster;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster module exports its API package only, and opens it to Ignite alone (no Ignite node is started here). */
class ClusterModuleTest {

    @Test
    void theClusterModuleExportsItsApiPackageOnlyAndOpensItToIgniteAlone() throws Exception {
        Path where = Path.of(ClusterContext.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ModuleDescriptor d = ModuleFinder.of(where).findAll().iterator().next().descriptor();
        assertThat(d.name()).isEqualTo("io.mp4j.cluster");
        assertThat(d.exports()).allMatch(e -> !e.isQualified());
        assertThat(d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()))
                .containsExactly("io.mp4j.cluster");
        assertThat(d.opens()).singleElement().satisfies(o -> {
            assertThat(o.source()).isEqualTo("io.mp4j.cluster");
            assertThat(o.targets()).containsExactly("ignite.core");
        });
    }
}
