package io.mp4j.core.pool;

import io.mp4j.StartMethod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** When a pool's workers may start: SPAWN JVMs in turn, one per two cores, unless work waits for them. */
class StartThrottleTest {
    @Test
    void spawnStartsOneJvmPerTwoCoresAndThePropertySetsAnother() {
        assertThat(StartThrottle.limit(StartMethod.SPAWN, 1)).isEqualTo(1);
        assertThat(StartThrottle.limit(StartMethod.SPAWN, 2)).isEqualTo(1);
        assertThat(StartThrottle.limit(StartMethod.SPAWN, 16)).isEqualTo(8);
        String before = System.getProperty(StartThrottle.PROPERTY);
        try {
            System.setProperty(StartThrottle.PROPERTY, "3");
            assertThat(StartThrottle.limit(StartMethod.SPAWN, 16)).isEqualTo(3);
            System.setProperty(StartThrottle.PROPERTY, "0");
            assertThatThrownBy(() -> StartThrottle.limit(StartMethod.SPAWN, 16)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(StartThrottle.PROPERTY).hasMessageContaining(": 0");
            System.setProperty(StartThrottle.PROPERTY, "many");
            assertThatThrownBy(() -> StartThrottle.limit(StartMethod.SPAWN, 16)).hasMessageContaining(": many");
        } finally {
            if (before == null) System.clearProperty(StartThrottle.PROPERTY);
            else System.setProperty(StartThrottle.PROPERTY, before);
        }
        for (StartMethod m : List.of(StartMethod.FORK, StartMethod.FORKSERVER, StartMethod.THREAD)) {
            assertThat(StartThrottle.limit(m, 2)).as(m.name()).isEqualTo(Integer.MAX_VALUE);
        }
    }

    @Test
    void aWorkerWaitsForItsTurnUnlessMoreTasksWaitThanTheWorkersAlreadyStartingCanTake() {
        StartThrottle t = new StartThrottle(StartMethod.SPAWN, 2); // one at a time
        assertThat(t.mayStart(0, 0, 0)).isTrue();
        assertThat(t.mayStart(1, 1, 1)).as("one task, one worker starting").isFalse();
        assertThat(t.mayStart(1, 1, 2)).as("two tasks, one worker starting").isTrue();
        assertThat(t.mayStart(1, 3, 3)).isFalse();
        assertThat(new StartThrottle(StartMethod.FORK, 2).mayStart(100, 100, 0)).isTrue();
    }
}
