package io.mp4j.bench.figures;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux's {@code /proc/self/stat} for this JVM (proc(5)); figures read counters from it where it exists. */
final class ProcSelfStat {
    private static final Path STAT = Path.of("/proc/self/stat");

    private ProcSelfStat() {}

    /** Whether this system reports it. */
    static boolean available() { return Files.isReadable(STAT); }

    /** The fields after {@code (comm)}: index 0 is the state (field 3 of proc(5)), index {@code k} is field {@code k + 3}. */
    static String[] fields() throws IOException {
        String s = Files.readString(STAT, StandardCharsets.US_ASCII);
        return s.substring(s.lastIndexOf(')') + 2).trim().split(" +");
    }

    /** Minor page faults of this process so far (field 10, {@code minflt}): first touches of fresh memory. */
    static long minorFaults() throws IOException { return Long.parseLong(fields()[7]); }
}
