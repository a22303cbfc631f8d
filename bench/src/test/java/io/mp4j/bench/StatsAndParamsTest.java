package io.mp4j.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsAndParamsTest {
    @Test
    void shouldTakeTheMiddleOrTheMeanOfTheTwoMiddlesAsSuitePyDoes() {
        assertThat(Stats.of(List.of(3.0, 1.0, 2.0)).median()).isEqualTo(2.0);
        assertThat(Stats.of(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(new Stats(2.5, 1.0, 4.0, 4));
    }

    @Test
    void shouldFormatNumbersAsSuitePy() {
        assertThat(Stats.fmt(1234.56)).isEqualTo("1234.6");
        assertThat(Stats.fmt(12.3456)).isEqualTo("12.346");
        assertThat(Stats.fmt(0.123456)).isEqualTo("0.1235");
    }

    @Test
    void shouldReadBackTheTsvLineItWrites() {
        Stats s = new Stats(40, 30, 50, 20);
        Stats.Named n = Stats.parseTsv(s.tsv("process_start_join_ms.spawn", "ms"));
        assertThat(n).isEqualTo(new Stats.Named("process_start_join_ms.spawn", "ms", new Stats(40, 30, 50, 20)));
        assertThat(Stats.parseTsv("# progress line")).isNull();
        assertThat(Stats.parseTsv("name\tx\tms\t1\t2\t3")).isNull();
    }

    @Test
    void shouldScaleCountsButNotRepsAsSuitePy() {
        Params p = Params.of(0.05);
        assertThat(p.get("start_n")).isEqualTo(2);                // max(2, int(20*0.05))
        assertThat(p.get("start_warmup")).isEqualTo(2);
        assertThat(p.get("map_items")).isEqualTo(5_000);
        assertThat(p.get("pool_startup_reps")).isEqualTo(10);
        assertThat(p.get("primes_below")).isEqualTo(15_000);
        assertThat(p.get("mtpc1_tasks", "spawn")).isEqualTo(2);
        assertThat(p.get("mtpc1_tasks", "fork")).isEqualTo(50);
        assertThat(Params.of(1).get("primes_below")).isEqualTo(300_000);
        assertThat(Params.of(1).get("pipe_n")).isEqualTo(20_000);
    }

    @Test
    void shouldCapRepetitionsPerTaskWorkersWholeProgramRunsAndWarmUpsInASmokeRun() {
        Params p = Params.of(0.05).smoke();
        assertThat(p.get("pool_startup_reps")).isEqualTo(1);
        assertThat(p.get("queue_reps")).isEqualTo(1);
        assertThat(p.get("mtpc1_tasks", "fork")).isEqualTo(2);
        assertThat(p.get("mtpc1_tasks", "spawn")).isEqualTo(2);
        assertThat(p.get("map_items")).as("counts as scaled").isEqualTo(5_000);
        assertThat(p.get("pipe_warmup")).as("warm-up iterations untouched").isEqualTo(1_000);
        assertThat(p.get("x_first_use_n")).as("one run of each whole program").isEqualTo(1);
        assertThat(p.get("x_first_use_warmup")).as("and none unrecorded").isZero();
        assertThat(Params.of(1).get("x_first_use_n")).as("a full run's samples").isEqualTo(5);
        assertThat(Params.of(1).get("x_first_use_warmup")).as("a full run's unrecorded run").isEqualTo(1);
        assertThat(p.get("start_warmup")).as("no unrecorded process starts").isZero();
        assertThat(p.get("pool_startup_warmup")).as("nor pool starts").isZero();
        assertThat(p.get("x_jit_warmup")).as("JIT warm-up loops run once").isZero();
        assertThat(Params.of(1).get("start_warmup")).as("a full run's unrecorded starts").isEqualTo(2);
        assertThat(Params.of(1).get("pool_startup_warmup")).isEqualTo(1);
        assertThat(Params.of(1).get("x_jit_warmup")).as("a full run warms until the timings settle").isEqualTo(1);
    }

    @Test
    void shouldRejectUnknownParametersAndBadScales() {
        assertThatThrownBy(() -> Params.of(1).get("nope")).hasMessageContaining("key=nope");
        assertThatThrownBy(() -> Params.of(0)).hasMessageContaining("scale=0");
        assertThatThrownBy(() -> Params.of(1).withWorkers(List.of(0))).hasMessageContaining("workers=[0]");
    }

    @Test
    void shouldParseScalingPyOutput() {
        var m = PythonSuite.parseScaling("sequential\t7.500\ts\ttotal=148933\npool1.fork\t7.600\ts\tspeedup=0.99\tefficiency=0.99\n"
                + "pool2.fork\t3.900\ts\tspeedup=1.92\tefficiency=0.96\n", "fork");
        assertThat(m.keySet()).containsExactly("scaling_s.sequential.fork", "scaling_s.pool1.fork", "scaling_speedup.pool1.fork",
                "scaling_s.pool2.fork", "scaling_speedup.pool2.fork");
        assertThat(m.get("scaling_speedup.pool2.fork").stats().median()).isEqualTo(1.92);
    }
}
