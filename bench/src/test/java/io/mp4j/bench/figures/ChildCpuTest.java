package io.mp4j.bench.figures;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChildCpuTest {
    @Test
    void shouldCountTheCpuOfAReapedChild() throws Exception {
        Assumptions.assumeTrue(ChildCpu.available(), "no /proc/self/stat here");
        double before = ChildCpu.reapedMillis();
        // a child that spends some 100+ ms of CPU on its own
        Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done").start();
        assertThat(p.waitFor()).isZero();
        double spent = ChildCpu.reapedMillis() - before;
        assertThat(spent).isGreaterThanOrEqualTo(20.0).isLessThan(60_000.0);
    }
}
