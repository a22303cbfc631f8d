package io.mp4j;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * A coordinator run in its own JVM by {@link ChildJvmOptionsTest}: in every start method, a process before and after
 * {@code addJvmOptions}, a pool worker, and a process after {@code inheritJvmOptions(false)}, each printing the
 * options it sees.
 */
public final class ChildOptionsMain {
    private ChildOptionsMain() {}

    /** What a JVM sees of its options: a property from the command line, one added later, the heap, the collector. */
    static String report(String tag) {
        String gc = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining("+")).replace(' ', '_');
        return tag + " mode=" + System.getProperty("app.mode") + " late=" + System.getProperty("app.late")
                + " heapMiB=" + (Runtime.getRuntime().maxMemory() >> 20) + " gc=" + gc;
    }

    static void print(String tag) {
        System.out.println(report(tag));
        System.out.flush();
    }

    public static void main(String[] a) throws Exception {
        for (StartMethod m : StartMethod.values()) {
            Context ctx = Multiprocessing.getContext(m);
            String name = m.pythonName();
            ctx.awaitReady(Duration.ofSeconds(60)); // standbys warm with the options of now
            run(ctx, name + "-first");
            ctx.addJvmOptions("-Dapp.late=" + name);
            run(ctx, name + "-later");
            try (Pool pool = ctx.pool(1)) {
                System.out.println(pool.apply(ChildOptionsMain::report, name + "-pool"));
            }
            ctx.inheritJvmOptions(false);
            run(ctx, name + "-nothing");
        }
        System.out.println("done");
    }

    private static void run(Context ctx, String tag) throws InterruptedException {
        MpProcess p = ctx.process(ChildOptionsMain::print, tag);
        p.start();
        p.join();
        if (p.exitCode() != 0) System.out.println(tag + " exit=" + p.exitCode());
    }
}
