package io.mp4j.bench.figures;

import io.mp4j.bench.Target;
import io.mp4j.bench.Targets;
import io.mp4j.worker.JvmFlags;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The plumbing of {@code first_use_ms}, without running its programs (the harness does, with --only first_use). */
class FirstUseFigureTest {
    @Test
    void shouldRunEachProgramAsAWholeJvmWithTheLibrarysOptionsAndThisClassPath() {
        List<String> cmd = FirstUseFigure.programCommand("queue", "spawn");
        assertThat(cmd.getFirst()).isEqualTo(JvmFlags.javaExecutable());
        assertThat(cmd).containsAll(JvmFlags.REQUIRED)
                .containsSubsequence("-cp", System.getProperty("java.class.path"))
                .endsWith(FirstUseMain.class.getName(), "queue", "spawn");
        assertThat(FirstUseFigure.floorCommand()).endsWith(JvmFloorMain.class.getName())
                .containsSubsequence("-cp", System.getProperty("java.class.path"));
        assertThat(FirstUseMain.PROGRAMS).containsExactly("process", "pipe", "queue", "value_lock", "barrier", "pool");
    }

    @Test
    void shouldTimeEveryRepetitionAfterOneUnrecordedRunAndCountTheChildrensCpu() throws Exception {
        Assumptions.assumeTrue(ChildCpu.available(), "no /proc/self/stat here");
        List<Double> cpu = new ArrayList<>();
        List<Double> wall = FirstUseFigure.time(List.of("sh", "-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"), 1, 2, cpu);
        assertThat(wall).hasSize(2).allSatisfy(ms -> assertThat(ms).isPositive().isLessThan(60_000.0));
        assertThat(cpu).hasSize(2).allSatisfy(ms -> assertThat(ms).isGreaterThanOrEqualTo(0.0).isLessThan(60_000.0));
    }

    @Test
    void shouldRunTheFloorsEmptyMain() throws Exception {
        assertThat(FirstUseFigure.time(FirstUseFigure.floorCommand(), 0, 1, null)).hasSize(1);
    }

    @Test
    void shouldFailNamingTheExitStatusOfAProgramThatFailed() {
        assertThatThrownBy(() -> FirstUseFigure.time(List.of("sh", "-c", "exit 3", "x", "prog", "spawn"), 0, 1, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("exited with 3").hasMessageContaining("prog spawn");
    }

    @Test
    void shouldCompareEachProgramWithPythonsAndWithTheProcessProgram() {
        assertThat(FirstUseFigure.vsProcess("queue", 300, 200).key()).isEqualTo("first_use_vs_process.queue");
        assertThat(FirstUseFigure.vsProcess("queue", 300, 200).samples()).containsExactly(1.5);
        for (String prog : FirstUseMain.PROGRAMS) {
            for (String m : List.of("fork", "spawn", "forkserver")) {
                assertThat(Targets.of("first_use_ms." + prog, m)).isEqualTo(Target.ratioMax(3));
            }
            if (!prog.equals("process")) assertThat(Targets.of("first_use_vs_process." + prog, "spawn")).isEqualTo(Target.atMost(1.5));
        }
        assertThat(Targets.of("first_use_ms.jvm_floor", "spawn")).isNull();
    }

    @Test
    void shouldReportEveryProgramAndTheFloorAsNotBuilt() {
        assertThat(new FirstUseFigure().notBuilt("why").stream().map(r -> r.key()))
                .containsExactly("first_use_ms.jvm_floor", "first_use_ms.process", "first_use_ms.pipe", "first_use_ms.queue",
                        "first_use_ms.value_lock", "first_use_ms.barrier", "first_use_ms.pool");
    }
}
