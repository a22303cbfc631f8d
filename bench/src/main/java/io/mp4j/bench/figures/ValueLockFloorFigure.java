package io.mp4j.bench.figures;

import io.mp4j.Context;
import io.mp4j.bench.Params;
import io.mp4j.bench.Result;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code value_lock_floor_increments_per_s}: the floor of {@code value_lock_increments_per_s}, without the
 * library's primitives. The same two children, started the same way (a SPAWN child is a fresh JVM, a FORK or
 * FORKSERVER child a warm one), each make 100,000 increments of an int under a bare compare-and-set spin lock,
 * both words in one mapped file of the context's directory (no owner, no count, no robustness, no sleeping:
 * {@link Thread#onSpinWait}, and a yield now and then); timed as {@link ValueLockFigure}. In a fresh JVM this
 * loop runs in the interpreter and the JIT's early tiers for most of its 100,000 turns, as the library's does:
 * the row shows what any lock of a fresh JVM can reach here.
 *
 * <pre>
 *   0: long lock    0 free, 1 held
 *   64: int value   the counter (another cache line, as a Value's own segment is)
 * </pre>
 */
public final class ValueLockFloorFigure implements Figure {
    static final String F = "value_lock_floor_increments_per_s";
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    private static final long LOCK = 0, VALUE = 64;

    @Override public String key() { return "value_lock_floor"; }

    @Override public boolean inPythonSuite() { return false; }

    @Override
    public List<Result> run(Context ctx, Params p, String method) throws Exception {
        int n = p.get("lock_items");
        List<Double> rates = new ArrayList<>();
        for (int rep = 0; rep < p.get("lock_reps"); rep++) {
            Figures.awaitWarmJvms(ctx, method);
            Path file = ctx.resourceDir().resolve("bench-lock-floor-" + System.nanoTime());
            try (Arena arena = Arena.ofShared()) {
                MemorySegment seg = ShmFloorFigure.map(file, arena);
                rates.add(ValueLockFigure.rate(ctx, n, (gate, out) -> ctx.process(ValueLockFloorFigure::incrementer, file.toString(), gate, n, out)));
                int total = (int) INT.getVolatile(seg, VALUE);
                if (total != 2 * n) throw new IllegalStateException("the bare lock lost updates: " + total + " of " + 2 * n);
            } finally {
                Files.deleteIfExists(file);
            }
        }
        return List.of(Result.of(F, "", "incr/s", "higher", rates));
    }

    /** A child: {@code n} increments under the bare spin lock; reports its start (after the gate) and end. */
    public static void incrementer(String file, String gatePath, Integer n, String out) throws Exception {
        long t0, t1;
        try (Arena arena = Arena.ofShared(); StartGate gate = StartGate.attach(gatePath)) {
            MemorySegment seg = ShmFloorFigure.map(Path.of(file), arena);
            gate.await();
            t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                int spins = 0;
                while (!LONG.compareAndSet(seg, LOCK, 0L, 1L)) {
                    if (++spins % 1024 == 0) Thread.yield(); // an overloaded machine: let the holder run
                    else Thread.onSpinWait();
                }
                INT.set(seg, VALUE, (int) INT.get(seg, VALUE) + 1);
                LONG.setVolatile(seg, LOCK, 0L);
            }
            t1 = System.nanoTime();
        }
        StartGate.report(out, t0, t1);
    }

    @Override
    public List<Result> notBuilt(String why) { return List.of(Result.notBuilt(F, "", "incr/s", "higher", why)); }
}
