package io.mp4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The process class in every start method: exit codes, join, terminate/kill, identity, arguments. */
class ProcessLifecycleTest {
    @TempDir
    Path tmp;

    static Context ctx(StartMethod m) { return Multiprocessing.getContext(m); }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldExitWithZeroWhenTargetReturns(StartMethod m) throws Exception {
        MpProcess p = ctx(m).process(ProcessTargets::noop);
        assertThat(p.exitCode()).isNull();
        assertThat(p.pid()).isNull();
        p.start();
        p.join();
        assertThat(p.exitCode()).isZero();
        assertThat(p.isAlive()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldExitWithOneAfterAnUncaughtException(StartMethod m) throws Exception {
        MpProcess p = ctx(m).process(ProcessTargets::fail, "expected failure in a test: ignore this trace");
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldExitWithTheCodeGivenToExit(StartMethod m) throws Exception {
        MpProcess p = ctx(m).process(ProcessTargets::exitWith, 7);
        p.start();
        p.join();
        assertThat(p.exitCode()).isEqualTo(7);
    }

    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"SPAWN", "FORK", "FORKSERVER"})
    void shouldRunTheChildsShutdownHooksAndDeleteOnExitFilesWhenItEnds(StartMethod m) throws Exception {
        // a child ends at once (libc's _exit) only when nothing is registered to run at exit: here something is
        for (int code : new int[]{0, 3}) {
            Path hook = tmp.resolve(m + "-hook-" + code), doomed = tmp.resolve(m + "-doomed-" + code);
            MpProcess p = ctx(m).process(ProcessTargets::registerExitWork, hook.toString(), doomed.toString(), code);
            p.start();
            p.join();
            assertThat(p.exitCode()).isEqualTo(code);
            assertThat(hook).as("written by the child's shutdown hook").hasContent("hook ran");
            assertThat(doomed).as("marked deleteOnExit by the child").doesNotExist();
        }
    }

    @ParameterizedTest
    @EnumSource(value = StartMethod.class, names = {"SPAWN", "FORK", "FORKSERVER"})
    void shouldWaitForTheNonDaemonThreadsItsTargetStartedButNotForDaemonOnes(StartMethod m) throws Exception {
        // Python's child joins its non-daemon threads before it exits; a THREAD process is a thread, as in Python
        io.mp4j.ipc.sync.Event returned = ctx(m).event(), go = ctx(m).event();
        Path file = tmp.resolve(m + "-late-write");
        MpProcess p = ctx(m).process(ProcessTargets::leaveThreads, returned, go, file.toString());
        p.start();
        assertThat(returned.await(60, TimeUnit.SECONDS)).as("the target returned").isTrue();
        assertThat(p.join(300, TimeUnit.MILLISECONDS)).as("ended while its non-daemon thread still waits").isFalse();
        go.set();
        assertThat(p.join(60, TimeUnit.SECONDS)).as("ended once that thread did, its daemon thread still parked").isTrue();
        assertThat(p.exitCode()).isZero();
        assertThat(file).hasContent("written after the target returned");
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldReportMinusFifteenAfterTerminateAndMinusNineAfterKill(StartMethod m) throws Exception {
        MpProcess t = ctx(m).process(ProcessTargets::sleepMillis, 60_000L);
        MpProcess k = ctx(m).process(ProcessTargets::sleepMillis, 60_000L);
        t.start();
        k.start();
        assertThat(t.isAlive()).isTrue();
        assertThat(t.exitCode()).isNull();
        t.terminate();
        k.kill();
        t.join();
        k.join();
        assertThat(t.exitCode()).isEqualTo(-15);
        assertThat(k.exitCode()).isEqualTo(-9);
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldLetSeveralThreadsJoinAndSeeTheExitCodeTheMomentJoinReturns(StartMethod m) throws Exception {
        MpProcess p = ctx(m).process(ProcessTargets::exitWith, 5);
        p.start();
        java.util.Queue<String> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();
        List<Thread> joiners = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            boolean timed = i == 0;
            joiners.add(Thread.ofPlatform().start(() -> {
                try {
                    if (timed) assertThat(p.join(60, TimeUnit.SECONDS)).isTrue();
                    else p.join();
                    seen.add(p.exitCode() + " " + p.isAlive());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : joiners) io.mp4j.testkit.Await.ended(t);
        assertThat(seen).containsExactly("5 false", "5 false", "5 false");
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldReturnFalseFromJoinWithTimeoutWhileRunning(StartMethod m) throws Exception {
        MpProcess p = ctx(m).process(ProcessTargets::sleepMillis, 60_000L);
        p.start();
        assertThat(p.join(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(p.isAlive()).isTrue();
        assertThat(Multiprocessing.activeChildren()).contains(p);
        // zero and negative timeouts do not wait, as in java.util.concurrent and Python
        long t0 = System.nanoTime();
        assertThat(p.join(-1, TimeUnit.SECONDS)).isFalse();
        assertThat(p.join(0, TimeUnit.SECONDS)).isFalse();
        assertThat(p.join(java.time.Duration.ofSeconds(-5))).isFalse();
        assertThat(System.nanoTime() - t0).as("no wait").isLessThan(TimeUnit.SECONDS.toNanos(5));
        p.kill();
        assertThat(p.join(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.join(-1, TimeUnit.SECONDS)).isTrue();
        assertThat(Multiprocessing.activeChildren()).doesNotContain(p);
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldGiveTheChildItsNameAndParent(StartMethod m) throws Exception {
        Path f = tmp.resolve("who");
        MpProcess p = ctx(m).process(ProcessTargets::describe, f.toString()).setName("worker-x").setDaemon(true);
        p.start();
        Long parentWhileRunning = p.parentPid();
        p.join();
        assertThat(p.exitCode()).isZero();
        if (m == StartMethod.SPAWN || m == StartMethod.FORK || m == StartMethod.THREAD) {
            assertThat(parentWhileRunning).isIn(ProcessHandle.current().pid(), null);
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(lines.get(0)).isEqualTo("worker-x");
        assertThat(Long.parseLong(lines.get(1))).isEqualTo(p.pid());
        if (m == StartMethod.THREAD) {
            assertThat(lines.get(3)).isEqualTo("MainProcess");
        } else {
            if (m != StartMethod.FORKSERVER) assertThat(Long.parseLong(lines.get(2))).isEqualTo(ProcessHandle.current().pid());
            assertThat(p.pid()).isNotEqualTo(ProcessHandle.current().pid());
        }
        assertThat(lines.get(4)).isEqualTo("true");
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldPassRecordsAndListsAsArguments(StartMethod m) throws Exception {
        Path f = tmp.resolve("sum");
        MpProcess p = ctx(m).process(ProcessTargets::sum, new ProcessTargets.Point(1, 2), List.of(10, 20), f.toString());
        p.start();
        p.join();
        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(f)).isEqualTo("33");
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldRunASubclassWithItsFields(StartMethod m) throws Exception {
        Path f = tmp.resolve("sub");
        MpProcess p = new ProcessTargets.Writer(ctx(m), f.toString(), 3).setName("writer");
        p.start();
        p.join();
        assertThat(p.exitCode()).isZero();
        assertThat(Files.readString(f)).isEqualTo("xxx writer");
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldNameProcessesInSequence(StartMethod m) {
        MpProcess a = ctx(m).process(ProcessTargets::noop);
        MpProcess b = ctx(m).process(ProcessTargets::noop);
        assertThat(a.getName()).startsWith("Process-");
        int na = Integer.parseInt(a.getName().substring("Process-".length()));
        assertThat(b.getName()).isEqualTo("Process-" + (na + 1));
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldRejectASecondStartAndJoinBeforeStart(StartMethod m) throws Exception {
        MpProcess p = ctx(m).process(ProcessTargets::noop);
        assertThatThrownBy(p::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        p.start();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("already started");
        p.join();
        assertThatThrownBy(() -> p.setName("late")).isInstanceOf(IllegalStateException.class);
        p.close();
        assertThatThrownBy(p::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        // as Python's: a closed process object refuses every control call (its name, pid and exit code stay)
        assertThatThrownBy(p::isAlive).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(p::join).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(p::terminate).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(p::kill).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(p::onExit).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(p.exitCode()).isZero();
        assertThat(Multiprocessing.activeChildren()).doesNotContain(p);
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldReportInTheChildTheStartMethodThatStartedIt(StartMethod m) throws Exception {
        Path f = tmp.resolve("method");
        MpProcess p = ctx(m).process(ProcessTargets::writeStartMethod, f.toString());
        p.start();
        assertThat(p.join(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitCode()).isZero();
        // a THREAD child shares its parent's JVM, and with it the JVM's default (Python's dummy threads share theirs)
        String expected = (m == StartMethod.THREAD ? Multiprocessing.getStartMethod() : m).pythonName();
        assertThat(Files.readAllLines(f)).containsExactly(expected, expected, "refused");
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldEndAnInterruptedChildWithExitCodeOne(StartMethod m) throws Exception {
        io.mp4j.ipc.sync.Event inTarget = ctx(m).event();
        MpProcess p = ctx(m).process(CoordinatorMains::setThenSleep, inTarget);
        p.start();
        assertThat(inTarget.await(60, TimeUnit.SECONDS)).as("the child runs its target").isTrue();
        p.interrupt();
        assertThat(p.join(30, TimeUnit.SECONDS)).as("SIGINT's default reaction ends the child").isTrue();
        assertThat(p.exitCode()).as("as an uncaught exception: Python's KeyboardInterrupt").isEqualTo(1);
        p.interrupt(); // ended: nothing happens
    }

    @Test
    void shouldRejectClosingARunningProcess() throws Exception {
        MpProcess p = ctx(StartMethod.SPAWN).process(ProcessTargets::sleepMillis, 60_000L);
        p.start();
        assertThatThrownBy(p::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("still running");
        p.kill();
        p.join();
        p.close();
    }

    @Test
    void shouldRejectAnArgumentThatCannotTravelAtStartNamingIt() {
        MpProcess p = ctx(StartMethod.SPAWN).process(ProcessTargets::describe, "f");
        assertThat(p).isNotNull();
        Context c = ctx(StartMethod.SPAWN);
        io.mp4j.function.Task1<Object> t = ProcessTargets::takesObject;
        MpProcess bad = c.process(t, new Thread());
        assertThatThrownBy(bad::start).hasMessageContaining("argument 0").hasMessageContaining("java.lang.Thread");
        assertThat(bad.pid()).isNull();
    }

    @Test
    void shouldRejectWrongArgumentTypesWhenTheProcessIsMade() {
        io.mp4j.function.Task1<Object> t = ProcessTargets::takesObject;
        assertThatThrownBy(() -> Multiprocessing.getContext(StartMethod.SPAWN).process(
                (io.mp4j.function.Task1<Integer>) ProcessTargets::exitWith, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null");
        assertThat(t).isNotNull();
    }

    @Test
    void shouldKnowTheMainProcess() {
        assertThat(Multiprocessing.currentProcess().getName()).isEqualTo("MainProcess");
        assertThat(Multiprocessing.currentProcess().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(Multiprocessing.currentProcess().parentPid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
        assertThat(Multiprocessing.parentProcess()).isNull();
        assertThat(Multiprocessing.cpuCount()).isPositive();
        assertThatThrownBy(() -> Multiprocessing.currentProcess().start()).isInstanceOf(IllegalStateException.class);
    }
}
