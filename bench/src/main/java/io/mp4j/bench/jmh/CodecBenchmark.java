package io.mp4j.bench.jmh;

import io.mp4j.ipc.codec.Codec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code jmh_codec_roundtrip_ns}: {@link Codec#encode}/{@link Codec#decode} of a small task message (a
 * class, a method and five arguments, the shape of a launch or pool task).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    /** A small task message. */
    public record TaskMessage(long id, String className, String method, List<Object> args) {}

    private final TaskMessage message = new TaskMessage(42, "io.mp4j.bench.figures.BenchTasks", "inc",
            List.of(1, 2L, "three", 4.0, true));

    @Benchmark
    public Object roundTrip() {
        byte[] b = Codec.encode(message, TaskMessage.class);
        return Codec.decode(b, TaskMessage.class);
    }

    @Benchmark
    public Object roundTripInt() {
        return Codec.decode(Codec.encode(12345, Integer.class), Integer.class);
    }
}
