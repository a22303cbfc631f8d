package io.mp4j.bench.jmh;

import io.mp4j.ipc.sync.Lock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;

/**
 * The cross-process {@link Lock} (a word in a mapped segment): {@code uncontended} lock+unlock by one thread,
 * and {@code handoff}, two threads contending (each lock+unlock; the lock passes between them), in ns per
 * operation. The cross-process hand-off between two JVMs is the harness figure {@code lock_handoff_us}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmark {
    private Path dir;
    private Lock lock;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir")), "mp4j-jmh-");
        lock = Lock.create(dir);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void uncontended() {
        lock.lock();
        lock.unlock();
    }

    @Benchmark
    @Group("handoff")
    @GroupThreads(2)
    public void handoff() {
        lock.lock();
        lock.unlock();
    }
}
