package io.mp4j;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The library's modules export their API packages only, and the library runs on the class path too. */
class ModulesTest {
    private static ModuleDescriptor descriptor(Class<?> inModule) throws Exception {
        Path where = Path.of(inModule.getProtectionDomain().getCodeSource().getLocation().toURI());
        return ModuleFinder.of(where).findAll().iterator().next().descriptor();
    }

    private static Set<String> openToAll(ModuleDescriptor d) {
        return d.exports().stream().filter(e -> !e.isQualified()).map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    @Test
    void eachLibraryModuleExportsItsApiPackagesOnly() throws Exception {
        ModuleDescriptor core = descriptor(Pool.class);
        ModuleDescriptor ipc = descriptor(io.mp4j.ipc.shm.Value.class);
        ModuleDescriptor worker = descriptor(io.mp4j.worker.ChildMain.class);
        assertThat(core.name()).isEqualTo("io.mp4j");
        assertThat(openToAll(core)).containsExactlyInAnyOrder("io.mp4j", "io.mp4j.function", "io.mp4j.managers", "io.mp4j.spi");
        assertThat(openToAll(ipc)).containsExactlyInAnyOrder("io.mp4j.ipc.codec", "io.mp4j.ipc.connection", "io.mp4j.ipc.queue",
                "io.mp4j.ipc.shm", "io.mp4j.ipc.sync", "io.mp4j.shared");
        assertThat(openToAll(worker)).as("nothing of the child's side is API").isEmpty();
        for (ModuleDescriptor d : List.of(core, ipc, worker)) {
            for (ModuleDescriptor.Exports e : d.exports()) {
                if (e.isQualified()) assertThat(e.targets()).as(d.name() + " exports " + e.source()).allMatch(t -> t.startsWith("io.mp4j"));
            }
        }
    }

    @Test
    void theLibraryRunsOnTheClassPathAsMostApplicationsUseIt() {
        assertThat(Pool.class.getModule().isNamed()).as("these tests run the library on the class path").isFalse();
        assertThat(io.mp4j.core.pool.LocalPool.class.getModule()).isSameAs(Pool.class.getModule());
    }
}
