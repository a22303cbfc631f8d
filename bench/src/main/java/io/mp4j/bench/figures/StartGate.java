package io.mp4j.bench.figures;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.LockSupport;

/**
 * The harness's own start barrier for the two-process figures (Python's {@code Barrier(2)} in suite.py),
 * independent of the library under test: a mapped file in the context's private directory.
 * <pre>
 *   0: long arrived   parties that reached the gate
 *   8: long open      1 once the coordinator opened it
 * </pre>
 * Children {@link #await}; the coordinator waits for every party, then {@link #open}s. Waiting spins briefly,
 * then parks 50 µs at a time (the time measured starts after the gate, in each child).
 */
public final class StartGate implements AutoCloseable {
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final long ARRIVED = 0, OPEN = 8, SIZE = 4096;

    private final Path file;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment seg;

    private StartGate(Path file) throws IOException {
        this.file = file;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() < SIZE) ch.write(java.nio.ByteBuffer.allocate(1), SIZE - 1);
            seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, SIZE, arena);
        }
    }

    /** A new gate file in {@code dir}. */
    public static StartGate create(Path dir) throws IOException {
        return new StartGate(dir.resolve("bench-gate-" + System.nanoTime() + "-" + Long.toHexString(Double.doubleToLongBits(Math.random()))));
    }

    /** The gate file made by the coordinator, from a child. */
    public static StartGate attach(String path) throws IOException { return new StartGate(Path.of(path)); }

    public String path() { return file.toString(); }

    /** A child: arrive, then wait until the gate opens. */
    public void await() {
        LONG.getAndAdd(seg, ARRIVED, 1L);
        waitFor(OPEN, 1);
    }

    /** The coordinator: wait for {@code parties} arrivals (checking {@code alive} now and then), then open. */
    public void open(int parties, java.util.function.BooleanSupplier alive) {
        int spins = 0;
        while ((long) LONG.getVolatile(seg, ARRIVED) < parties) {
            if (++spins % 1000 == 0 && !alive.getAsBoolean()) throw new IllegalStateException("a party died before the start gate");
            LockSupport.parkNanos(50_000);
        }
        LONG.setVolatile(seg, OPEN, 1L);
    }

    private void waitFor(long offset, long value) {
        for (int i = 0; (long) LONG.getVolatile(seg, offset) != value; i++) {
            if (i < 1000) Thread.onSpinWait();
            else LockSupport.parkNanos(50_000);
        }
    }

    @Override
    public void close() {
        arena.close();
    }

    /** Closes and removes the file (the coordinator, at the end). */
    public void delete() throws IOException {
        close();
        Files.deleteIfExists(file);
    }

    /** Writes the child's timestamps ({@link System#nanoTime}, CLOCK_MONOTONIC on Linux) for the coordinator. */
    public static void report(String path, long... values) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (long v : values) sb.append(v).append('\n');
        Files.writeString(Path.of(path), sb);
    }

    /** Reads what {@link #report} wrote. */
    public static long[] read(Path path) throws IOException {
        return Files.readAllLines(path).stream().filter(s -> !s.isBlank()).mapToLong(Long::parseLong).toArray();
    }
}
