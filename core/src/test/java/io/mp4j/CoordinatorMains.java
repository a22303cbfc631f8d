package io.mp4j;

import java.util.List;

/**
 * Coordinator programs run in their own JVM by the exit-behaviour tests: what happens to children when
 * their parent returns, exits, throws, or is killed.
 */
public final class CoordinatorMains {
    private CoordinatorMains() {}

    public static void sleepThenPrint(long ms, String text) throws InterruptedException {
        Thread.sleep(ms); // behaviour: a child that outlives its parent's main()
        System.out.println(text);
    }

    public static void printPidAndSleep() throws InterruptedException {
        System.out.println("child-pid " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(120_000); // behaviour: runs until killed
    }

    public static void printLine(String s) { System.out.println(s); }

    /** Waits for {@code e} (at most a minute), then prints {@code s}. */
    public static void awaitThenPrint(io.mp4j.ipc.sync.Event e, String s) throws InterruptedException {
        if (!e.await(60, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("never set");
        System.out.println(s);
    }

    public static void failWith(String s) { throw new IllegalArgumentException(s); }

    /** args: startMethod. A non-daemon child outlives main(); the JVM waits for it. */
    public static final class NonDaemonJoined {
        public static void main(String[] a) {
            Multiprocessing.getContext(StartMethod.parse(a[0])).process(CoordinatorMains::sleepThenPrint, 300L, "child finished").start();
            System.out.println("main returned");
        }
    }

    /** args: startMethod. A daemon child is terminated when main() returns. */
    public static final class DaemonTerminated {
        public static void main(String[] a) throws Exception {
            MpProcess p = Multiprocessing.getContext(StartMethod.parse(a[0])).process(CoordinatorMains::printPidAndSleep).setDaemon(true);
            p.start();
            System.out.println("main returned " + p.pid());
        }
    }

    /** args: startMethod. Starts a long child, prints pids, then blocks until killed. */
    public static final class KilledWhileChildRuns {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.parse(a[0]));
            if (ctx.startMethod() == StartMethod.FORKSERVER) {
                // the server runs before the start (a fresh program's first start does without it): the child is
                // the server's, and the server is among what the coordinator's death must end
                ctx.prewarm();
                ((io.mp4j.core.ForkServerLauncher) ctx.currentLauncher()).awaitServerPid(java.util.concurrent.TimeUnit.SECONDS.toNanos(60));
            }
            MpProcess p = ctx.process(CoordinatorMains::printPidAndSleep);
            p.start();
            System.out.println("coordinator " + ProcessHandle.current().pid());
            System.out.println("started " + p.pid());
            if (ctx.currentLauncher() instanceof io.mp4j.core.ForkServerLauncher fs) System.out.println("server " + fs.serverPid());
            if (ctx.currentLauncher() instanceof io.mp4j.core.ForkLauncher fl) {
                for (long pid : fl.standbyPids()) System.out.println("standby " + pid);
            }
            System.out.println("dir " + ctx.resourceDir());
            System.out.println("coordinator " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(120_000); // behaviour: blocks until the test kills this coordinator
        }
    }

    /**
     * args: startMethod (fork or forkserver). A fresh program's first start, then its end while the standbys that the
     * end of that process started are warming up. Prints what was started beside the first process, how the launcher
     * started it, the standbys' pids, and the context's directory.
     */
    public static final class FirstStartThenExit {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.parse(a[0]));
            io.mp4j.ipc.sync.Event looked = ctx.event();
            MpProcess p = ctx.process(CoordinatorMains::awaitThenPrint, looked, "child ran");
            p.start();
            // the process runs until the look is over: its end would start standbys
            System.out.println("beside the first start " + standbys(ctx, p.pid()));
            long parent = ProcessHandle.of(p.pid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L);
            System.out.println("first child's parent " + (parent == ProcessHandle.current().pid() ? "this JVM" : "pid " + parent));
            if (ctx.currentLauncher() instanceof io.mp4j.core.ForkLauncher fl) {
                System.out.println("cold " + fl.startCounts()[0] + " warm " + fl.startCounts()[1]);
            }
            looked.set();
            p.join();
            // its end starts the standbys: the program ends while they warm up
            List<Long> standbys = io.mp4j.testkit.Await.until("standbys started once the first process ended",
                    () -> standbys(ctx, p.pid()), l -> !l.isEmpty(), java.time.Duration.ofSeconds(60));
            for (long pid : standbys) System.out.println("standby " + pid);
            System.out.println("dir " + ctx.resourceDir());
            System.out.println("exit code " + p.exitCode());
        }

        /** The standby JVMs now: the FORK launcher's, or the fork server's children other than {@code process}. */
        private static List<Long> standbys(Context ctx, long process) {
            if (ctx.currentLauncher() instanceof io.mp4j.core.ForkLauncher fl) return fl.standbyPids();
            var fs = (io.mp4j.core.ForkServerLauncher) ctx.currentLauncher();
            if (fs.serverPid() < 0) return List.of(); // no server yet: it starts once the first process has ended
            return ProcessHandle.of(fs.serverPid()).orElseThrow().children().filter(ProcessHandle::isAlive)
                    .map(ProcessHandle::pid).filter(pid -> pid != process).toList();
        }
    }

    /** Starts a FORKSERVER child, kills the fork server, then starts another child and prints its exit code. */
    public static final class ForkServerKilled {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.FORKSERVER);
            MpProcess first = ctx.process(CoordinatorMains::printLine, "first child ran");
            first.start();
            first.join();
            var server = (io.mp4j.core.ForkServerLauncher) ctx.currentLauncher();
            long serverPid = server.awaitServerPid(java.util.concurrent.TimeUnit.SECONDS.toNanos(60));
            ProcessHandle h = ProcessHandle.of(serverPid).orElseThrow();
            h.destroyForcibly();
            h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            io.mp4j.testkit.Await.until("the killed fork server seen as gone", server::isGone);
            MpProcess second = ctx.process(CoordinatorMains::printLine, "second child ran");
            second.start();
            second.join();
            var next = (io.mp4j.core.ForkServerLauncher) ctx.currentLauncher();
            long nextPid = next.awaitServerPid(java.util.concurrent.TimeUnit.SECONDS.toNanos(60));
            System.out.println("exit code " + second.exitCode() + (nextPid > 0 && nextPid != serverPid ? ", another server" : ", the same server"));
        }
    }

    /** Sets {@code inTarget}, then sleeps until interrupted or killed. */
    public static void setThenSleep(io.mp4j.ipc.sync.Event inTarget) throws InterruptedException {
        inTarget.set();
        Thread.sleep(120_000); // behaviour: sleeps in its target until interrupted
    }

    /** args: startMethod. Interrupts a child sleeping in its target, then prints its exit code. */
    public static final class InterruptedChild {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.parse(a[0]));
            io.mp4j.ipc.sync.Event inTarget = ctx.event();
            MpProcess p = ctx.process(CoordinatorMains::setThenSleep, inTarget).setName("sleeper");
            p.start();
            if (!inTarget.await(60, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("the child never ran");
            p.interrupt();
            p.join();
            System.out.println("exit code " + p.exitCode());
        }
    }

    /** args: startMethod. A child prints and fails; the parent prints the exit code. */
    public static final class ChildOutputAndFailure {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.parse(a[0]));
            MpProcess ok = ctx.process(CoordinatorMains::printLine, "hello from the child").setName("printer");
            ok.start();
            ok.join();
            MpProcess bad = ctx.process(CoordinatorMains::failWith, "boom").setName("failer");
            bad.start();
            bad.join();
            System.out.println("exit codes " + ok.exitCode() + " " + bad.exitCode());
        }
    }

    static Integer inc(Integer x) { return x + 1; }

    /** args: startMethod. Uses a pool, then exits without closing it: its workers see their parent go. */
    public static final class PoolThenExit {
        public static void main(String[] a) throws Exception {
            Context ctx = Multiprocessing.getContext(StartMethod.parse(a[0]));
            Pool pool = ctx.poolBuilder().processes(2).build();
            System.out.println("sum " + pool.map(CoordinatorMains::inc, java.util.stream.IntStream.range(0, 1000).boxed().toList())
                    .stream().mapToInt(Integer::intValue).sum());
            System.out.flush();
            System.exit(0);
        }
    }
}
