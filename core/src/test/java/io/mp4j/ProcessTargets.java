package io.mp4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Targets run by the process tests in child JVMs (static methods of the test class path). */
public final class ProcessTargets {
    private ProcessTargets() {}

    public static void noop() {}

    /** Writes whether this JVM's library knows it is a child ({@code io.mp4j.ipc.ChildFlag}). */
    public static void writeChildFlag(String file) throws java.io.IOException {
        java.nio.file.Files.writeString(java.nio.file.Path.of(file), Boolean.toString(io.mp4j.ipc.ChildFlag.isChild()));
    }

    public static void takesObject(Object o) {}

    public static void fail(String message) { throw new IllegalStateException(message); }

    public static void exitWith(int code) { Multiprocessing.exit(code); }

    /** A child that runs for {@code ms}, or until it is terminated, killed or its parent goes. */
    public static void sleepMillis(long ms) throws InterruptedException { Thread.sleep(ms); } // behaviour: a long task

    /** Sleeps {@code ms}, then returns it. */
    public static Long slowIdentity(Long ms) throws InterruptedException {
        Thread.sleep(ms); // behaviour: a slow task
        return ms;
    }

    /** Writes the default start method, the default context's, and whether setting another without force is refused. */
    public static void writeStartMethod(String file) throws Exception {
        String set;
        try {
            Multiprocessing.setStartMethod(StartMethod.THREAD == Multiprocessing.getStartMethod() ? StartMethod.SPAWN : StartMethod.THREAD);
            set = "changed";
        } catch (IllegalStateException e) {
            set = "refused";
        }
        java.nio.file.Files.write(java.nio.file.Path.of(file), java.util.List.of(Multiprocessing.getStartMethod().pythonName(),
                Multiprocessing.getContext().startMethod().pythonName(), set));
    }

    /** Registers a shutdown hook that writes {@code file}, and marks {@code doomed} (made here) for deletion at exit. */
    public static void registerExitWork(String file, String doomed, int code) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                java.nio.file.Files.writeString(java.nio.file.Path.of(file), "hook ran");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        java.io.File f = new java.io.File(doomed);
        java.nio.file.Files.writeString(f.toPath(), "delete me at exit");
        f.deleteOnExit();
        if (code != 0) Multiprocessing.exit(code);
    }

    /** Writes what the child knows about itself, for the parent to check. */
    public static void describe(String file) throws Exception {
        MpProcess me = Multiprocessing.currentProcess();
        MpProcess parent = Multiprocessing.parentProcess();
        Files.writeString(Path.of(file), String.join("\n", me.getName(), String.valueOf(me.pid()),
                String.valueOf(parent.pid()), parent.getName(), String.valueOf(me.isDaemon())));
    }

    public record Point(int x, int y) {}

    /** Takes structured arguments, writes their sum to a file. */
    public static void sum(Point p, List<Integer> values, String file) throws Exception {
        long s = p.x() + p.y();
        for (int v : values) s += v;
        Files.writeString(Path.of(file), Long.toString(s));
    }

    /** A subclass overriding run(): its fields travel. */
    public static final class Writer extends MpProcess {
        private final String file;
        private final int times;

        public Writer(Context ctx, String file, int times) {
            super(ctx);
            this.file = file;
            this.times = times;
        }

        @Override
        public void run() throws Exception {
            Files.writeString(Path.of(file), "x".repeat(times) + " " + getName());
        }
    }

    /**
     * Starts a daemon thread that never ends and a non-daemon thread that waits for {@code go} and then writes
     * {@code file}; sets {@code returned} and returns at once.
     */
    public static void leaveThreads(io.mp4j.ipc.sync.Event returned, io.mp4j.ipc.sync.Event go, String file) {
        Thread.ofPlatform().daemon(true).start(() -> {
            while (true) java.util.concurrent.locks.LockSupport.park(); // behaviour: a daemon thread that never ends
        });
        Thread.ofPlatform().daemon(false).start(() -> {
            try {
                if (go.await(60, java.util.concurrent.TimeUnit.SECONDS)) Files.writeString(Path.of(file), "written after the target returned");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        returned.set();
    }
}
