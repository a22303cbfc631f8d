package io.mp4j.bench.figures;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class ProcSelfStatTest {
    @Test
    void shouldCountTheFaultsOfFreshMemory() throws Exception {
        Assumptions.assumeTrue(ProcSelfStat.available(), "no /proc/self/stat here");
        long size = 32L << 20;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fresh = arena.allocate(size, 4096); // malloc'd, then mapped by the kernel on first touch
            long before = ProcSelfStat.minorFaults();
            for (long off = 0; off < size; off += 4096) fresh.set(ValueLayout.JAVA_BYTE, off, (byte) 1);
            long after = ProcSelfStat.minorFaults();
            // 8,192 pages of 4 KiB, or 16-17 transparent huge pages where the kernel gives them to every mapping
            assertThat(after - before).isBetween(8L, 100_000L);
        }
    }
}
