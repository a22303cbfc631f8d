package io.mp4j.testkit;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The leak check itself: classes that leak, clean up, or share the machine with another run's leftovers, each run
 * through the JUnit Platform launcher inside this test (so that the suite stays green while they fail), with the
 * check registered the way every module registers it. The inner classes are nested, so Surefire never runs them
 * on their own.
 */
class LeakCheckTest {
    /** What each inner test saw, for the outer test to check and clean. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    /** Leaves a child process, an orphan that carries the run's marker, and a file named after this JVM. */
    static class Leaky {
        @Test
        void leaves() throws Exception {
            Process child = new ProcessBuilder("sleep", "300").start();
            SEEN.put("child", child.pid());
            Path orphanPid = TestFiles.file("orphan", ".pid");
            // the shell ends at once: its sleep is reparented away from this JVM and is found by its marker only
            new ProcessBuilder("sh", "-c", "sleep 300 >/dev/null 2>&1 & echo $! > " + orphanPid).start().waitFor();
            SEEN.put("orphan", Long.parseLong(Files.readString(orphanPid).strip()));
            Files.delete(orphanPid);
            Path file = TestFiles.shmDir("leaked");
            SEEN.put("file", file);
        }
    }

    /** Makes the same things and removes them before it ends. */
    static class Tidy {
        @Test
        void cleansUp() throws Exception {
            Process child = new ProcessBuilder("sleep", "300").start();
            Path file = TestFiles.shmDir("tidy");
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            TestFiles.delete(file);
        }
    }

    /**
     * Another run's leftovers appear while it runs: a process that is neither a descendant nor marked (a new
     * session, an empty environment), and a file named after a pid that is not ours.
     */
    static class Neighbour {
        @Test
        void seesAnotherRunsLeftovers() throws Exception {
            Path pidFile = Files.createTempFile("neighbour-", ".pid");
            ProcessBuilder pb = new ProcessBuilder("setsid", "-f", "sh", "-c", "echo $$ > " + pidFile + "; exec sleep 300");
            pb.environment().clear();
            pb.start().waitFor();
            String pid = Await.until("the neighbour's pid", () -> read(pidFile), s -> !s.isEmpty());
            Files.delete(pidFile);
            SEEN.put("neighbour", Long.parseLong(pid));
            SEEN.put("foreignFile", Files.createDirectory(Path.of("/dev/shm").resolve("mp4j-1-neighbour-" + System.nanoTime())));
        }

        private static String read(Path f) {
            try {
                return Files.readString(f).strip();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** The class container's result of running {@code testClass} through the launcher. */
    private static TestExecutionResult runClass(Class<?> testClass) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass))
                .configurationParameter(LeakCheck.GRACE_PARAMETER, "1 s").build();
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        LauncherFactory.create().execute(request, new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                Optional<String> cls = id.getSource().filter(ClassSource.class::isInstance).map(s -> ((ClassSource) s).getClassName());
                cls.ifPresent(c -> results.put(c, result));
            }
        });
        return results.get(testClass.getName());
    }

    @Test
    void shouldFailAClassThatLeavesAProcessOrAFileAndRemoveThem() {
        TestExecutionResult r = runClass(Leaky.class);
        assertThat(r.getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        String report = r.getThrowable().orElseThrow().getMessage();
        long child = (Long) SEEN.get("child");
        Path file = (Path) SEEN.get("file");
        assertThat(report).contains(Leaky.class.getName() + " left behind").contains("process pid " + child).contains("sleep 300")
                .contains("file " + file);
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false)).as("the leaked child, killed").isFalse();
        assertThat(file).as("the leaked directory, removed").doesNotExist();
        long orphan = (Long) SEEN.get("orphan");
        if (ProcessTable.marked()) {
            assertThat(report).as("an orphan found by the marker in its environment").contains("process pid " + orphan);
        } else {
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly); // no marker outside Surefire: not findable
        }
        Await.until("the orphan gone", () -> ProcessHandle.of(orphan).map(h -> !h.isAlive()).orElse(true));
    }

    @Test
    void shouldPassAClassThatRemovesWhatItMade() {
        TestExecutionResult r = runClass(Tidy.class);
        assertThat(r.getStatus()).as("%s", r.getThrowable()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

    @Test
    void shouldNotBlameAClassForAnotherRunsProcessesAndFiles() throws Exception {
        assumeThat(Files.isDirectory(Path.of("/dev/shm"))).isTrue();
        try {
            TestExecutionResult r = runClass(Neighbour.class);
            assertThat(r.getStatus()).as("%s", r.getThrowable()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
            long pid = (Long) SEEN.get("neighbour");
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the neighbour's process, left alone").isTrue();
            assertThat((Path) SEEN.get("foreignFile")).as("the neighbour's file, left alone").exists();
        } finally {
            Object pid = SEEN.get("neighbour");
            if (pid != null) ProcessHandle.of((Long) pid).ifPresent(ProcessHandle::destroyForcibly);
            Object f = SEEN.get("foreignFile");
            if (f != null) TestFiles.delete((Path) f);
        }
    }

    @Test
    void shouldTellANameThatCarriesAPidFromOneThatDoesNot() {
        Set<Long> pids = Set.of(123L, 4567L);
        assertThat(LeakCheck.carriesPid("mp4j-123-spawn-ab12cd34", pids)).isTrue();
        assertThat(LeakCheck.carriesPid("mp4j-warmup-4567-99", pids)).isTrue();
        assertThat(LeakCheck.carriesPid("mp4j-1234-spawn-ab", pids)).isFalse();
        assertThat(LeakCheck.carriesPid("other-123-x", pids)).as("not the project's").isFalse();
    }

    @Test
    void shouldTellAnAotTrainingAndWhatItStartedFromOtherLeftovers() {
        ProcessTable.Proc shell = new ProcessTable.Proc(100, 1, 0, 19, "/bin/sh -c d='/home/u/.cache/mp4j/aot'/train-$$ && mkdir \"$d\" || exit 1");
        ProcessTable.Proc trainer = new ProcessTable.Proc(101, 100, 0, 19, "/usr/bin/java -XX:AOTCacheOutput=x.aot -cp a.jar Main");
        ProcessTable.Proc itsChild = new ProcessTable.Proc(102, 101, 0, 19, "/usr/bin/java");
        ProcessTable.Proc stray = new ProcessTable.Proc(200, 1, 0, 0, "/usr/bin/java -cp a.jar Main");
        assertThat(new LeakCheck.Leftovers(java.util.List.of(shell, trainer, itsChild), java.util.List.of()).onlyTrainings()).isTrue();
        assertThat(new LeakCheck.Leftovers(java.util.List.of(shell, trainer, stray), java.util.List.of()).onlyTrainings()).isFalse();
        assertThat(new LeakCheck.Leftovers(java.util.List.of(shell), java.util.List.of(Path.of("/dev/shm/mp4j-1-x"))).onlyTrainings()).isFalse();
    }
}
