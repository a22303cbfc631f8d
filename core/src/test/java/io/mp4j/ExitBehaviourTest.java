package io.mp4j;

import io.mp4j.testkit.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What happens to children when their coordinator returns, exits or is killed, in every process start method. */
class ExitBehaviourTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"SPAWN", "FORK", "FORKSERVER", "THREAD"})
    void shouldJoinNonDaemonChildrenBeforeTheParentExits(StartMethod m) throws Exception {
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.NonDaemonJoined.class, m.pythonName());
        assertThat(r.await()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().toList()).containsExactly("main returned", "child finished");
    }

    @Test
    void shouldStartANewForkServerWhenTheFirstWasKilled() throws Exception {
        // CPython starts a new fork server when its server died; a FORKSERVER-only behaviour
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.ForkServerKilled.class);
        assertThat(r.await()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().toList()).as(r.stderr()).containsExactly("first child ran", "second child ran", "exit code 0, another server");
    }

    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"SPAWN", "FORK", "FORKSERVER"})
    void shouldTerminateDaemonChildrenWhenTheParentExits(StartMethod m) throws Exception {
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.DaemonTerminated.class, m.pythonName());
        assertThat(r.await()).as(r.stderr()).isZero();
        String line = r.stdout().lines().filter(l -> l.startsWith("main returned")).findFirst().orElseThrow();
        long pid = Long.parseLong(line.substring("main returned ".length()));
        assertGoneWithin(pid, Await.DEFAULT);
    }

    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"SPAWN", "FORK", "FORKSERVER"})
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES) // standbys at the lowest priority (Await.WARM_UP)
    void shouldEndChildrenServersAndStandbysWhenTheParentIsKilled(StartMethod m) throws Exception {
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.KilledWhileChildRuns.class, m.pythonName());
        String childLine = r.awaitLine("child-pid ", LIMIT);
        r.awaitLine("dir ", LIMIT); // the coordinator's last report: the child's line may come before it
        long coordinator = coordinatorPid(r);
        List<Long> pids = new ArrayList<>();
        pids.add(Long.parseLong(childLine.substring("child-pid ".length())));
        Path dir = null;
        for (String l : r.stdout().lines().toList()) {
            if (l.startsWith("server ") || l.startsWith("standby ")) pids.add(Long.parseLong(l.substring(l.indexOf(' ') + 1)));
            if (l.startsWith("dir ")) dir = Path.of(l.substring(4));
        }
        ProcessHandle.of(coordinator).orElseThrow().destroyForcibly();
        // each ends by itself; the deadline is for a busy machine, where a standby warming up at the lowest priority
        // gets little CPU to notice its parent's death
        for (long pid : pids) assertGoneWithin(pid, Await.WARM_UP);
        assertThat(dir).isNotNull();
        Path gone = dir;
        Await.until("the context's private directory " + dir + " removed", () -> !Files.exists(gone));
    }

    /**
     * A fresh program's first FORK or FORKSERVER start gets a JVM started for it by the program itself and nothing
     * beside it (no fork server starts, no standby warms up on the cores that the process needs), and the program's end
     * kills the standbys that were still warming up: none outlives it.
     */
    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"FORK", "FORKSERVER"})
    void shouldStartNoStandbyBesideAFreshProgramsFirstProcessAndKillThemAtExit(StartMethod m) throws Exception {
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.FirstStartThenExit.class, m.pythonName());
        assertThat(r.await()).as(r.stderr()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).as(r.stderr()).contains("child ran", "beside the first start []", "first child's parent this JVM", "exit code 0");
        if (m == StartMethod.FORK) assertThat(lines).contains("cold 1 warm 0");
        List<Long> standbys = lines.stream().filter(l -> l.startsWith("standby ")).map(l -> Long.parseLong(l.substring(8))).toList();
        assertThat(standbys).isNotEmpty();
        if (m == StartMethod.FORK) {
            // killed and reaped by the coordinator itself before it ended
            for (long pid : standbys) assertThat(ProcessHandle.of(pid)).as("standby %d after its parent's end", pid).isEmpty();
        } else {
            // killed by the server, which the coordinator waited for: reaped by whoever inherited them
            for (long pid : standbys) assertGoneWithin(pid, Await.DEFAULT);
        }
        Path dir = lines.stream().filter(l -> l.startsWith("dir ")).map(l -> Path.of(l.substring(4))).findFirst().orElseThrow();
        assertThat(dir).as("the context's private directory").doesNotExist();
    }

    /**
     * The coordinator's pid, as it printed it: not looked up by command line, which the JDK reads only up to a page
     * (a long class path pushes the main class out of it).
     */
    private static long coordinatorPid(JvmRun r) throws InterruptedException {
        String line = r.awaitLine("coordinator ", LIMIT);
        return Long.parseLong(line.substring("coordinator ".length()));
    }

    /** SIGTERM: the coordinator gives its non-daemon children a short grace, terminates them, and ends, leaving nothing. */
    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"SPAWN", "FORK", "FORKSERVER", "THREAD"})
    void shouldEndPromptlyAndTakeItsChildrenWhenTheParentGetsSigterm(StartMethod m) throws Exception {
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.KilledWhileChildRuns.class, m.pythonName());
        String childLine = r.awaitLine("child-pid ", LIMIT);
        r.awaitLine("dir ", LIMIT);
        List<Long> pids = new ArrayList<>();
        pids.add(Long.parseLong(childLine.substring("child-pid ".length())));
        Path dir = null;
        for (String l : r.stdout().lines().toList()) {
            if (l.startsWith("server ") || l.startsWith("standby ")) pids.add(Long.parseLong(l.substring(l.indexOf(' ') + 1)));
            if (l.startsWith("dir ")) dir = Path.of(l.substring(4));
        }
        long coordinator = coordinatorPid(r);
        long t0 = System.nanoTime();
        ProcessHandle.of(coordinator).orElseThrow().destroy();
        // promptly: without waiting for its child, which sleeps 120 s (the grace and the kill take 2 s, more when loaded)
        assertGoneWithin(coordinator, Duration.ofSeconds(60));
        assertThat(System.nanoTime() - t0).as("the coordinator's end after SIGTERM, well before its child's").isLessThan(TimeUnit.SECONDS.toNanos(60));
        assertThat(r.await()).as("SIGTERM's exit status").isEqualTo(143);
        for (long pid : pids) assertGoneWithin(pid, Duration.ofSeconds(3));
        assertThat(dir).as("the context's private directory").isNotNull().doesNotExist();
    }

    /**
     * interrupt(): the child prints the interruption as an uncaught exception and ends with exit code 1. Every JVM
     * child installs the same handler when its launch arrives (ProcessLifecycleTest checks the exit code in every
     * start method): one start method shows the output.
     */
    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"SPAWN"})
    void shouldPrintAnInterruptedChildsInterruptionAndExitCodeOne(StartMethod m) throws Exception {
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.InterruptedChild.class, m.pythonName());
        assertThat(r.await()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("exit code 1");
        assertThat(r.stderr()).contains("Process sleeper:").contains("SIGINT").contains("CoordinatorMains.setThenSleep");
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldPassChildOutputAndPrintTheFailingProcessName(StartMethod m) throws Exception {
        JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.ChildOutputAndFailure.class, m.pythonName());
        assertThat(r.await()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("hello from the child").contains("exit codes 0 1");
        assertThat(r.stderr()).contains("Process failer:").contains("java.lang.IllegalArgumentException: boom")
                .contains("CoordinatorMains.failWith");
    }

    @Test
    void shouldNotReportErrorsFromPoolWorkersWhenTheParentExitsWithoutClosingThePool() throws Exception {
        // the workers see their pipes close and their parent go at once: ending twice over must stay silent
        for (int i = 0; i < 4; i++) {
            JvmRun r = JvmRun.start(LIMIT, List.of(), CoordinatorMains.PoolThenExit.class, "spawn");
            assertThat(r.await()).as(r.stderr()).isZero();
            assertThat(r.stdout()).contains("sum 500500");
            assertThat(r.stderr()).as("run %d", i).doesNotContain("Process ").doesNotContain("Error").doesNotContain("Exception");
        }
    }

    static void assertGoneWithin(long pid, Duration d) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) return;
        try {
            h.get().onExit().get(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("process " + pid + " still alive after " + d + ": " + h.get().info());
        }
    }
}
