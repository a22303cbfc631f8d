package io.mp4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Targets that pool tests run in workers: static methods, found by name on the test class path. */
public final class PoolTasks {
    private PoolTasks() {}

    static volatile String initialized = "no";

    public static int square(int x) { return x * x; }

    public static int add(int a, int b) { return a + b; }

    public static long pid(int ignored) { return ProcessHandle.current().pid(); }

    public static String workerName(int ignored) { return Multiprocessing.currentProcess().getName(); }

    public static int failIfOdd(int x) {
        if (x % 2 == 1) throw new IllegalArgumentException("odd: " + x, new IllegalStateException("root cause " + x));
        return x;
    }

    /** A task that runs for {@code ms} (interruptible). */
    public static int sleepMillis(int ms) throws InterruptedException {
        Thread.sleep(ms); // behaviour: a task that runs long
        return ms;
    }

    /** Returns {@code value} once {@code file} exists: a task that ends when the test says so, whatever the load. */
    public static int whenFileExists(String file, Integer value) {
        io.mp4j.testkit.Await.until("the gate file " + file, () -> Files.exists(Path.of(file)), io.mp4j.testkit.Await.scaled(java.time.Duration.ofMinutes(2)));
        return value;
    }

    /** Ignores interrupts: only killing its worker stops it early. */
    public static int spin(int ms) {
        long end = System.nanoTime() + ms * 1_000_000L;
        long x = 0;
        while (System.nanoTime() < end) x++;
        return (int) (x & 1);
    }

    public static int exitWith(int code) {
        Multiprocessing.exit(code);
        return -1;
    }

    public static int killSelf(int ignored) throws Exception {
        new ProcessBuilder("kill", "-9", Long.toString(ProcessHandle.current().pid())).start().waitFor();
        Thread.sleep(10_000); // behaviour: dies of the SIGKILL meanwhile
        return -1;
    }

    /** Throws OutOfMemoryError at once (an array larger than the VM allows), without filling the heap. */
    public static int outOfMemory(int ignored) {
        long[] huge = new long[Integer.MAX_VALUE];
        return huge.length;
    }

    /** A result the codec refuses (a thread cannot travel). */
    public static Object unencodable(int ignored) { return Thread.currentThread(); }

    public static List<Integer> list(int n) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(i);
        return l;
    }

    public static void init(String file) throws IOException {
        initialized = "yes";
        Files.writeString(Path.of(file), ProcessHandle.current().pid() + "\n", StandardOpenOption.APPEND, StandardOpenOption.CREATE);
    }

    public static String initState(int ignored) { return initialized; }

    public static void failingInit() { throw new IllegalStateException("initializer refuses"); }

    /** Creates {@code marker}, then sleeps: the test knows the task runs once the file exists. */
    public static int markThenSleep(String marker, Integer ms) throws Exception {
        Files.writeString(Path.of(marker), Long.toString(ProcessHandle.current().pid()));
        Thread.sleep(ms); // behaviour: a task that runs long
        return ms;
    }

    public static Object identity(Object o) { return o; }

    public static int length(byte[] b) { return b.length; }

    public static Integer answer() { return 42; }

    public static void noop() {}

    /** Fails item 0 at once; every other item sleeps {@code 100 ms}, then leaves a file named after it in {@code dir}. */
    public static int failFirstOthersTouch(String dir, Integer i) throws Exception {
        if (i == 0) throw new IllegalStateException("item 0 fails");
        Thread.sleep(100); // behaviour: each item is still running when item 0's failure comes in
        Files.createFile(Path.of(dir).resolve("item-" + i));
        return i;
    }

    /** This worker's resident memory, after allocating and touching {@code mib} MiB that it keeps (0: nothing). */
    public static long residentAfterKeeping(int mib) throws IOException {
        if (mib > 0) {
            byte[] b = new byte[mib << 20];
            for (int i = 0; i < b.length; i += 4096) b[i] = 1;
            KEPT.add(b);
        }
        String[] f = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
        return Long.parseLong(f[1]) * 4096L;
    }

    private static final List<byte[]> KEPT = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** THREAD pools only: records the worker thread that runs it under {@code key}, then waits until {@code n} have. */
    public static String meetWorkerThreads(String key, Integer n) throws Exception {
        synchronized (THREADS) {
            List<Thread> ts = THREADS.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>());
            ts.add(Thread.currentThread());
            THREADS.notifyAll();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (ts.size() < n) {
                long left = end - System.nanoTime();
                if (left <= 0) throw new IllegalStateException("only " + ts.size() + " of " + n + " workers came");
                TimeUnit.NANOSECONDS.timedWait(THREADS, left);
            }
        }
        return Thread.currentThread().getName();
    }

    static final java.util.Map<String, List<Thread>> THREADS = new java.util.concurrent.ConcurrentHashMap<>();

    /** An executor that is never shut down: a task writes {@code file} after 300 ms, and main returns at once. */
    public static final class ExecutorNeverShutDown {
        public static void main(String[] a) {
            ProcessPoolExecutor ex = Multiprocessing.getContext(StartMethod.parse(a[0])).processPoolExecutor(1);
            ex.submit(PoolTasks::writeLater, a[1], 300);
            System.out.println("submitted");
        }
    }

    public static Integer writeLater(String file, Integer ms) throws Exception {
        Thread.sleep(ms); // behaviour: the task still runs when the coordinator's main returns
        Files.writeString(Path.of(file), "ran in " + ProcessHandle.current().pid());
        return ms;
    }

    /** Coordinator for the parent-death test: a pool of 2, its worker pids printed, then blocks until killed. */
    public static final class PoolParent {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.parse(a[0]));
            Pool pool = ctx.pool(2);
            pool.map(PoolTasks::square, List.of(1, 2, 3, 4), 1);
            if (!pool.awaitWorkers(60, TimeUnit.SECONDS)) throw new IllegalStateException("workers not up");
            // FORK and FORKSERVER: the warm JVMs behind the pool; one still warming up (on idle CPU only) is listed too
            ctx.awaitReady(Duration.ofSeconds(60));
            // every process below this one: the workers, and under FORK and FORKSERVER the warm JVMs, the fork
            // server and its children
            StringBuilder line = new StringBuilder("workers " + ProcessHandle.current().pid());
            for (long pid : pool.workerPids()) line.append(' ').append(pid);
            ProcessHandle.current().descendants().forEach(h -> line.append(' ').append(h.pid()));
            System.out.println(line);
            System.out.flush();
            Thread.sleep(120_000); // behaviour: blocks until the test kills this coordinator
        }
    }
}
