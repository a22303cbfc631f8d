package io.mp4j.spi;

import io.mp4j.Pool;
import io.mp4j.PoolStats;
import io.mp4j.ProcessPoolExecutor;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every back end may rely on: a spec and counters that are valid by construction. */
class PoolSpecTest {
    private static final Serializable INIT = (Runnable & Serializable) () -> { };

    @Test
    void aSpecRefusesEachInvalidSettingNamingIt() {
        assertThatThrownBy(() -> new PoolSpec(0, null, null, null, 0, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processes=0");
        assertThatThrownBy(() -> new PoolSpec(1, null, null, 0, 0, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTasksPerChild=0").hasMessageContaining("unset");
        assertThatThrownBy(() -> new PoolSpec(1, null, null, null, -1, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMemoryPerChild=-1");
        assertThatThrownBy(() -> new PoolSpec(1, null, null, null, 0, Duration.ZERO, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout=PT0S");
        assertThatThrownBy(() -> new PoolSpec(1, null, new Object[]{1}, null, 0, null, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without an initializer");
    }

    @Test
    void aSpecKeepsItsOwnCopyOfTheInitializersArguments() {
        Object[] args = {1, "a"};
        PoolSpec s = new PoolSpec(2, INIT, args, 3, 1 << 20, Duration.ofSeconds(1), true);
        args[0] = 99;
        s.initargs()[1] = "changed";
        assertThat(s.initargs()).containsExactly(1, "a");
        assertThat(s.taskTimeoutNanos()).isEqualTo(1_000_000_000L);
        assertThat(new PoolSpec(1, null, null, null, 0, null, false).taskTimeoutNanos()).isZero();
    }

    @Test
    void buildersRefuseMaxTasksPerChildZeroSinceNoLimitMeansUnset() {
        assertThatThrownBy(() -> Pool.builder().maxTasksPerChild(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTasksPerChild=0");
        assertThatThrownBy(() -> ProcessPoolExecutor.builder().maxTasksPerChild(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTasksPerChild=-1");
    }

    @Test
    void aPoolTakesAContextOrABackendButNotBoth() {
        PoolBackendFactory never = spec -> { throw new AssertionError("must not be opened"); };
        assertThatThrownBy(() -> Pool.builder().context(io.mp4j.Multiprocessing.getContext(io.mp4j.StartMethod.THREAD)).backend(never).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
    }

    @Test
    void statsRefuseNegativeCounts() {
        assertThat(new PoolStats(1, 2, 3, 4, 5).workersReplaced()).isEqualTo(4);
        assertThatThrownBy(() -> new PoolStats(-1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tasksCompleted=-1");
    }
}
