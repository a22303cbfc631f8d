package io.mp4j.worker;

import io.mp4j.testkit.Await;
import io.mp4j.worker.task.FunctionRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A child JVM's own protocol, without a parent library: the launch message on standard input, a standby's
 * ready file, a warm-up cut short by a task, and what happens when the message never comes whole.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // standbys warm up on idle CPU only (Await.WARM_UP)
class ChildMainTest {
    private static final long LIMIT_S = 60;

    @TempDir
    Path tmp;

    @FunctionalInterface
    interface Touch extends Serializable { void run(String path) throws Exception; }

    /** The target of the launches below: creates the file named. */
    static void touch(String path) throws IOException { Files.writeString(Path.of(path), "ran"); }

    @Test
    void shouldSignalReadyOnceWarmAndThenRunItsTask() throws Exception {
        Path ready = tmp.resolve("standby.ready"), out = tmp.resolve("out");
        Process p = start("--warm", new ReadyFile(ready).argument());
        awaitFile(ready, p);
        send(p.getOutputStream(), launchFrame(out));
        assertThat(p.waitFor(LIMIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(out)).isEqualTo("ran");
    }

    @Test
    void shouldMakeItsWarmUpFilesInItsParentsDirectoryWhereItsReadyFileIs() throws Exception {
        // that directory goes with the parent however it ends: a standby killed while its files exist leaves nothing
        Path ready = tmp.resolve("standby.ready");
        List<String> made = new ArrayList<>();
        try (WatchService watch = tmp.getFileSystem().newWatchService()) {
            tmp.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            Process p = start("--warm", new ReadyFile(ready).argument());
            awaitFile(ready, p);
            p.getOutputStream().close();
            assertThat(p.waitFor(LIMIT_S, TimeUnit.SECONDS)).isTrue();
            WatchKey key;
            while ((key = watch.poll(100, TimeUnit.MILLISECONDS)) != null) {
                for (WatchEvent<?> e : key.pollEvents()) if (e.context() instanceof Path name) made.add(name.toString());
                key.reset();
            }
        }
        assertThat(made).anyMatch(n -> n.startsWith("mp4j-warmup-")).anyMatch(n -> n.startsWith("mp4j-pool-warmup-"));
        try (var left = Files.list(tmp)) {
            assertThat(left.map(f -> f.getFileName().toString())).as("what the warm-up left").containsExactly("standby.ready");
        }
    }

    @Test
    void shouldWarmUpAtTheLowestPriorityAndRunTheTaskAtNormalPriority() throws Exception {
        assumeTrue(WarmUpPriority.canRestore(), "this user may not raise a priority back (no CAP_SYS_NICE, ulimit -e < 20)");
        Path ready = tmp.resolve("standby.ready"), out = tmp.resolve("out");
        Process p = start("--warm", new ReadyFile(ready).argument());
        awaitFile(ready, p);
        List<Integer> nice = niceValues(p.pid());
        assertThat(nice).as("the warm standby's threads").contains(19);
        assertThat(nice.stream().filter(n -> n == 0).count()).as("only the thread that waits for the task keeps its priority").isEqualTo(1);
        List<Integer> policies = policies(p.pid());
        assertThat(policies).as("the warm standby's threads run under SCHED_IDLE").contains(SCHED_IDLE);
        assertThat(policies.stream().filter(n -> n == 0).count()).as("but the one that waits for the task").isEqualTo(1);
        Touch t = ChildMainTest::writeNiceValues;
        send(p.getOutputStream(), launchFrame(t, out));
        assertThat(p.waitFor(LIMIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String[] seen = Files.readString(out).strip().split(";");
        assertThat(seen[0]).as("the task's own thread, from the start: nice 0, SCHED_OTHER").isEqualTo("0/0");
        assertThat(seen[1].split(",")).as("every thread, soon after").containsOnly("0/0");
    }

    private static final int SCHED_IDLE = 5;

    /** Field 41 ({@code policy}) of /proc/PID/task/TID/stat for every thread. */
    private static List<Integer> policies(long pid) throws IOException {
        return statFields(pid, f -> Integer.parseInt(f[38]));
    }

    /**
     * A target: writes the nice value of its own thread, then that of every thread of its JVM once they are all
     * back to 0 (the others are restored while the task starts; at most 10 s).
     */
    static void writeNiceValues(String path) throws IOException, InterruptedException {
        String self = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = self.substring(self.lastIndexOf(')') + 2).split(" ");
        String own = f[16] + "/" + f[38];
        long pid = ProcessHandle.current().pid();
        List<String> all;
        try {
            all = Await.until("every thread back to nice 0, SCHED_OTHER", () -> niceAndPolicySafely(pid),
                    l -> l.stream().allMatch("0/0"::equals), java.time.Duration.ofSeconds(10));
        } catch (AssertionError notYet) {
            all = niceAndPolicy(pid); // written as it is: the test shows which thread kept its priority
        }
        Files.writeString(Path.of(path), own + ";" + String.join(",", all));
    }

    private static List<String> niceAndPolicySafely(long pid) {
        try {
            return niceAndPolicy(pid);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** "nice/policy" of every thread (fields 19 and 41), each from one read of its stat. */
    private static List<String> niceAndPolicy(long pid) throws IOException {
        return statFields(pid, f -> f[16] + "/" + f[38]);
    }

    /** Field 19 of /proc/PID/task/TID/stat (after the parenthesised name) for every thread. */
    private static List<Integer> niceValues(long pid) throws IOException {
        return statFields(pid, f -> Integer.parseInt(f[16]));
    }

    /**
     * {@code field} of the fields of /proc/PID/task/TID/stat after the parenthesised name (index 0 is field 3)
     * for every thread.
     */
    private static <T> List<T> statFields(long pid, java.util.function.Function<String[], T> field) throws IOException {
        List<T> out = new ArrayList<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // a thread that ended meanwhile
                }
                out.add(field.apply(stat.substring(stat.lastIndexOf(')') + 2).split(" ")));
            }
        }
        return out;
    }

    @Test
    void shouldOpenTheClassPathUpToTheApplicationsClassWhileWarmingUp() throws Exception {
        // assertj's jar: on the test class path, and nothing of a standby's own warm-up opens it
        Path jar = Path.of(org.assertj.core.api.Assertions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assumeTrue(jar.toString().endsWith(".jar"), "assertj comes from a jar");
        Path ready = tmp.resolve("standby.ready"), out = tmp.resolve("out"), plainReady = tmp.resolve("plain.ready");
        Process p = start("--warm", new ReadyFile(ready).argument(), ChildMain.OPEN_TO_ARG + "org.assertj.core.api.Assertions");
        Process plain = start("--warm", new ReadyFile(plainReady).argument());
        try {
            awaitFile(ready, p);
            awaitFile(plainReady, plain);
            assertThat(openFiles(p.pid())).as("files the standby given the class holds open").contains(jar.toRealPath());
            assertThat(openFiles(plain.pid())).as("files a standby without it holds open").doesNotContain(jar.toRealPath());
            send(p.getOutputStream(), launchFrame(out));
            assertThat(p.waitFor(LIMIT_S, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
            assertThat(Files.readString(out)).isEqualTo("ran");
        } finally {
            p.destroyForcibly();
            plain.destroyForcibly();
        }
    }

    @Test
    void shouldFindTheClassesItOpensTheClassPathTo() {
        assertThat(ChildMain.openClassPathTo("org.assertj.core.api.Assertions")).isTrue();
        assertThat(ChildMain.openClassPathTo(ChildMainTest.class.getName())).isTrue();
        assertThat(ChildMain.openClassPathTo("com.example.NoSuchClass")).isFalse();
    }

    @Test
    void aPoolWorkerIsALaunchOfItsOwnKindThatTravelsWithItsSettings() throws Exception {
        // ChildMain runs a pool's worker from its launch kind (no target matched by name, no reflection)
        Launch l = new Launch();
        l.name = "ForkPoolWorker-1";
        l.identity = "1";
        l.parentName = "MainProcess";
        l.startMethod = "fork";
        l.poolWorker = new byte[]{1, 2, 3};
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        l.write(new java.io.DataOutputStream(bos));
        Launch back = Launch.read(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bos.toByteArray())), getClass().getClassLoader());
        assertThat(back.poolWorker).containsExactly(1, 2, 3);
        assertThat(back.function).isNull();
        assertThat(back.instance).isNull();
    }

    @Test
    void shouldTakeTheApplicationsClassFromTheLauncherCommand() {
        assertThat(ChildMain.applicationClass("com.example.Main --threads 4")).isEqualTo("com.example.Main");
        assertThat(ChildMain.applicationClass("Main")).isEqualTo("Main");
        assertThat(ChildMain.applicationClass("com.example.App$Cli x")).isEqualTo("com.example.App$Cli");
        assertThat(ChildMain.applicationClass("/opt/app/app.jar --port 1")).as("-jar: its jar comes first").isNull();
        assertThat(ChildMain.applicationClass("app.jar")).isNull();
        assertThat(ChildMain.applicationClass("Script.java 1 2")).as("a source file").isNull();
        assertThat(ChildMain.applicationClass("com.example.app/com.example.Main")).as("-m module/class").isNull();
        assertThat(ChildMain.applicationClass("io.mp4j.worker.ChildMain --warm")).as("a JVM of the library").isNull();
        assertThat(ChildMain.applicationClass("not-a.class")).isNull();
        assertThat(ChildMain.applicationClass("com..Main")).isNull();
        assertThat(ChildMain.applicationClass("")).isNull();
        assertThat(ChildMain.applicationClass(null)).isNull();
    }

    /** The real paths of the files a process holds open (its /proc/PID/fd links). */
    private static List<Path> openFiles(long pid) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    out.add(Files.readSymbolicLink(fd));
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return out;
    }

    @Test
    void shouldRunATaskThatArrivesDuringTheWarmUp() throws Exception {
        Path ready = tmp.resolve("standby.ready"), out = tmp.resolve("out");
        Process p = start("--warm", new ReadyFile(ready).argument());
        send(p.getOutputStream(), launchFrame(out)); // at once: the warm-up has barely begun
        assertThat(p.waitFor(LIMIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(out)).isEqualTo("ran");
    }

    @Test
    void shouldExitQuietlyWhenTheParentGoesAwayBeforeATask() throws Exception {
        Process p = start("--warm");
        p.getOutputStream().close();
        assertThat(p.waitFor(LIMIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void shouldFailLoudlyOnALaunchMessageCutShort() throws Exception {
        Process p = start();
        byte[] frame = launchFrame(tmp.resolve("never"));
        DataOutputStream in = new DataOutputStream(p.getOutputStream());
        in.writeInt(frame.length);
        in.write(frame, 0, frame.length / 2);
        in.close();
        assertThat(p.waitFor(LIMIT_S, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("cannot read the launch message").contains("of " + frame.length + " bytes");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    private static Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(JvmFlags.command(ChildMain.class.getName(), List.of(), args));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Waits for the ready file, failing if the JVM ends first or after the limit. */
    private static void awaitFile(Path f, Process p) {
        Await.until("the standby's ready file " + f, () -> {
            boolean ready = Files.exists(f);
            if (!ready) assertThat(p.isAlive()).as("the standby is alive while warming up").isTrue();
            return ready;
        }, ok -> ok, Await.WARM_UP);
    }

    private static byte[] launchFrame(Path out) throws IOException {
        return launchFrame(ChildMainTest::touch, out);
    }

    private static byte[] launchFrame(Touch t, Path out) throws IOException {
        Launch l = new Launch();
        l.name = "Process-1";
        l.identity = "1";
        l.parentPid = ProcessHandle.current().pid();
        l.parentName = "MainProcess";
        l.startMethod = "spawn";
        l.function = FunctionRef.of(t);
        l.args = new Object[]{out.toString()};
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        l.write(new DataOutputStream(bos));
        return bos.toByteArray();
    }

    private static void send(OutputStream in, byte[] frame) throws IOException {
        DataOutputStream d = new DataOutputStream(in);
        d.writeInt(frame.length);
        d.write(frame);
        d.flush(); // and keep it open: closing it is the parent's death
    }
}
