package io.mp4j.bench.figures;

import io.mp4j.bench.Params;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScalingFigureTest {
    @Test
    void shouldMeasureTheThreadCeilingOverEveryChunk() throws Exception {
        List<long[]> chunks = Arrays.asList(BenchTasks.chunks(20_000, 16));
        List<Double> speedups = ScalingFigure.threads(Params.of(1), chunks, 2, 3, 1.0);
        assertThat(speedups).hasSize(3).allSatisfy(s -> assertThat(s).isPositive().isFinite());
        // the reference claims every chunk exactly once: a wrong claim loop would end at once (huge speedup)
        // or never; compare one run's time with the best warm sequential time of the same chunks
        double seq = Double.MAX_VALUE;
        for (int i = 0; i < 50; i++) {
            long t0 = System.nanoTime();
            CpuBoundFigure.sequential(chunks);
            seq = Math.min(seq, (System.nanoTime() - t0) / 1e9);
        }
        assertThat(ScalingFigure.threads(Params.of(1), chunks, 2, 1, seq).get(0)).isLessThan(20.0);
    }
}
