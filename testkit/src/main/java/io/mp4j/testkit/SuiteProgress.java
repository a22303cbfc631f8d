package io.mp4j.testkit;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Progress while the suite runs, so that a user can tell slow from hung: a line when a test class starts, a line
 * with its time and counts when it ends, a line for every test that took long ({@link #SLOW_SECONDS}), and every
 * {@link #HEARTBEAT_SECONDS} a line naming each test still running and for how long. Registered for every module
 * through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}; lines start with
 * {@code [mp4j-test]}. A class's end line also gives the CPU that this JVM and the processes it started used meanwhile
 * ({@link ProcessCpu}). At the end, the sums over the classes of this JVM.
 */
public final class SuiteProgress implements TestExecutionListener {
    static final int SLOW_SECONDS = 10;
    static final int HEARTBEAT_SECONDS = 30;

    private record Running(TestIdentifier id, long startNanos, double startCpu, AtomicInteger tests, AtomicInteger failed) {}

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final PrintStream out = System.out;
    private volatile ScheduledExecutorService heartbeat;
    private volatile double classSeconds;
    private volatile double classCpuSeconds;
    private volatile int classes;
    private volatile TestPlan plan;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mp4j-test-progress");
            t.setDaemon(true);
            return t;
        });
        s.scheduleAtFixedRate(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
        heartbeat = s;
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        ScheduledExecutorService s = heartbeat;
        if (s != null) s.shutdownNow();
        if (classes > 0) {
            print(String.format(Locale.ROOT, "%d test classes, %.1f s summed over the classes, CPU %.1f s", classes, classSeconds, classCpuSeconds));
        }
    }

    @Override
    public void executionStarted(TestIdentifier id) {
        double cpu = isClass(id) ? ProcessCpu.ofThisTree() : 0;
        running.put(id.getUniqueId(), new Running(id, System.nanoTime(), cpu, new AtomicInteger(), new AtomicInteger()));
        if (isClass(id)) print("start " + className(id));
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        if (isClass(id)) print("skipped " + className(id) + ": " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        Running r = running.remove(id.getUniqueId());
        if (r == null) return;
        double s = (System.nanoTime() - r.startNanos()) / 1e9;
        boolean failed = result.getStatus() == TestExecutionResult.Status.FAILED; // ABORTED: an assumption did not hold
        if (id.isTest()) {
            Running cls = enclosingClass(id);
            if (cls != null) {
                cls.tests().incrementAndGet();
                if (failed) cls.failed().incrementAndGet();
            }
            if (s >= SLOW_SECONDS || failed) {
                print(String.format(Locale.ROOT, "  %s %s: %.1f s", failed ? "FAILED" : "slow", testName(id), s));
            }
        } else if (isClass(id)) {
            double cpu = ProcessCpu.ofThisTree() - r.startCpu();
            classes++;
            classSeconds += s;
            classCpuSeconds += cpu;
            String outcome = failed ? ", CLASS FAILED: " + result.getThrowable().map(Throwable::getMessage).orElse("?")
                    : r.failed().get() > 0 ? ", " + r.failed().get() + " failed" : "";
            print(String.format(Locale.ROOT, "end %s: %.1f s, CPU %.1f s, %d tests%s", className(id), s, cpu, r.tests().get(), outcome));
        }
    }

    private Running enclosingClass(TestIdentifier id) {
        TestPlan p = plan;
        if (p == null) return null;
        for (TestIdentifier at = id; at != null; at = p.getParent(at).orElse(null)) {
            if (isClass(at)) return running.get(at.getUniqueId());
        }
        return null;
    }

    private void beat() {
        long now = System.nanoTime();
        for (Running r : running.values()) {
            if (!r.id().isTest()) continue;
            long s = (now - r.startNanos()) / 1_000_000_000L;
            if (s >= HEARTBEAT_SECONDS) print("  still running " + testName(r.id()) + " (" + s + " s) in " + classOf(r.id()));
        }
    }

    /** The test's name, with its method's for an invocation of a parameterized or repeated test. */
    private String testName(TestIdentifier id) {
        TestPlan p = plan;
        TestIdentifier parent = p == null ? null : p.getParent(id).orElse(null);
        if (parent == null || isClass(parent)) return id.getDisplayName();
        return parent.getDisplayName() + " " + id.getDisplayName();
    }

    private String classOf(TestIdentifier id) {
        Running c = enclosingClass(id);
        return c == null ? "?" : className(c.id());
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    private static String className(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName()).orElse(id.getDisplayName());
    }

    private void print(String line) {
        synchronized (out) {
            out.println("[mp4j-test] " + line);
            out.flush();
        }
    }
}
