package io.mp4j.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fails the test class that leaves something behind: a process of this test JVM's tree, or an entry in
 * {@code /dev/shm} or the temporary directory, that appeared while the class ran and is still there once it
 * ended (after a grace period for what ends by itself). It then kills and removes what leaked, so the next class
 * starts clean. Registered for every class through {@code junit.jupiter.extensions.autodetection.enabled}.
 *
 * <p>Other test runs share the machine, so it only counts what this JVM's tree made:
 * <ul>
 *   <li>processes: the descendants of this JVM and every process carrying its run's marker in its environment
 *       ({@link ProcessTable#MARKER}, which children inherit, and which survives a child's reparenting);</li>
 *   <li>files: entries whose name carries the pid of this JVM or of one of its processes seen while the class
 *       ran ({@code mp4j-<pid>-...}, {@code mp4j-warmup-<pid>-...}): tests name their own files that way
 *       ({@link TestFiles}).</li>
 * </ul>
 * What lives as long as the JVM by design is not a leak: a context's private directory
 * ({@code mp4j-<this pid>-<method>-<hex>}, removed when the JVM ends) and its resource tracker, the fork server,
 * and warm standby JVMs not yet given a task (their ready file is there, or they still run at the low priority
 * they warm up at).
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    /** How long a class's leftovers may take to end by themselves (a worker still exiting, a tracker's rm). */
    static final Duration GRACE = Await.scaled(Duration.ofSeconds(20));
    /** How many graces more an AOT training (the worker's {@code AotCache}) may take to end on its own. */
    static final int TRAINING_GRACE_FACTOR = 6;
    /** The shell an AOT cache's training runs in: it works in {@code <cache dir>/train-<its pid>}. */
    static final java.util.regex.Pattern TRAINING_SHELL = java.util.regex.Pattern.compile("^/bin/sh -c d=\\S*/train-\\$\\$ ");
    /** A configuration parameter that sets the grace period in seconds ({@code "1 s"}; for the check's own test). */
    static final String GRACE_PARAMETER = "mp4j.leakcheck.grace";

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);
    private static final Pattern CONTEXT_DIR = Pattern.compile("mp4j-" + ProcessTable.SELF + "-(spawn|fork|forkserver|thread)-[0-9a-f]+");
    private static final String TRACKER_SCRIPT = "while read -r _";

    /** Where named resources appear: shared memory and the temporary directory. */
    static List<Path> places() {
        Set<Path> out = new LinkedHashSet<>();
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm)) out.add(shm);
        out.add(Path.of(System.getProperty("java.io.tmpdir")));
        out.add(Path.of("/tmp"));
        return List.copyOf(out);
    }

    /** What a class started from, and the pids of this tree seen while it ran. */
    private static final class ClassState {
        final Map<Long, ProcessTable.Proc> processes;
        final Set<Path> files;
        final Set<Long> pids = ConcurrentHashMap.newKeySet();

        ClassState(Map<Long, ProcessTable.Proc> processes, Set<Path> files) {
            this.processes = processes;
            this.files = files;
            pids.add(ProcessTable.SELF);
            pids.addAll(processes.keySet());
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (context.getTestClass().isEmpty() || context.getParent().flatMap(ExtensionContext::getTestClass).isPresent()) return; // @Nested: the outer class checks
        Map<Long, ProcessTable.Proc> procs = ProcessTable.ours();
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        pids.add(ProcessTable.SELF);
        pids.addAll(procs.keySet());
        context.getStore(NS).put(ClassState.class, new ClassState(procs, files(pids)));
    }

    @Override
    public void afterEach(ExtensionContext context) { sample(context); }

    /** Notes the pids of the tree now, so that files named after a child that has since ended are still attributed. */
    private static void sample(ExtensionContext context) {
        ClassState s = state(context);
        if (s != null) s.pids.addAll(ProcessTable.ours(false).keySet());
    }

    private static ClassState state(ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            ClassState s = c.getStore(NS).get(ClassState.class, ClassState.class);
            if (s != null) return s;
        }
        return null;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ClassState s = context.getStore(NS).remove(ClassState.class, ClassState.class);
        if (s == null) return;
        Duration grace = context.getConfigurationParameter(GRACE_PARAMETER)
                .map(v -> Duration.ofMillis((long) (1000 * Double.parseDouble(v.replace("s", "").strip())))).orElse(GRACE);
        Leftovers left;
        try {
            left = Await.until("the leftovers of " + context.getDisplayName() + " to end", () -> leftovers(s), Leftovers::isEmpty, grace,
                    Duration.ofMillis(200));
        } catch (AssertionFailedError timedOut) {
            left = leftovers(s);
        }
        if (!left.isEmpty() && left.onlyTrainings()) {
            // an AOT cache's training ends by itself, but at the lowest priority it starves on a loaded machine
            try {
                left = Await.until("the AOT trainings started by " + context.getDisplayName() + " to end", () -> leftovers(s),
                        Leftovers::isEmpty, grace.multipliedBy(TRAINING_GRACE_FACTOR), Duration.ofMillis(500));
            } catch (AssertionFailedError timedOut) {
                left = leftovers(s);
            }
        }
        if (left.isEmpty()) return;
        String report = left.describe(context.getRequiredTestClass().getName(), grace);
        left.remove();
        throw new AssertionFailedError(report);
    }

    /** What is new since the class began, not JVM-lifetime by design, and still there. */
    private static Leftovers leftovers(ClassState s) {
        Map<Long, ProcessTable.Proc> now = ProcessTable.ours();
        s.pids.addAll(now.keySet());
        List<ProcessTable.Proc> procs = new ArrayList<>();
        for (ProcessTable.Proc p : now.values()) {
            ProcessTable.Proc before = s.processes.get(p.pid());
            if (before != null && before.start() == p.start()) continue;
            if (!livesAsLongAsTheJvm(p, now)) procs.add(p);
        }
        List<Path> files = new ArrayList<>();
        for (Path f : files(s.pids)) {
            if (!s.files.contains(f) && !CONTEXT_DIR.matcher(f.getFileName().toString()).matches()) files.add(f);
        }
        return new Leftovers(procs, files);
    }

    /** A context's tracker, the fork server, or a standby JVM not yet given a task, each of a live parent of ours. */
    static boolean livesAsLongAsTheJvm(ProcessTable.Proc p, Map<Long, ProcessTable.Proc> ours) {
        boolean parentOurs = p.ppid() == ProcessTable.SELF || ours.containsKey(p.ppid());
        if (!parentOurs) return false;
        String cmd = p.cmdline();
        if (cmd.contains(TRACKER_SCRIPT)) {
            String dir = cmd.substring(cmd.lastIndexOf(' ') + 1);
            return p.ppid() == ProcessTable.SELF && CONTEXT_DIR.matcher(Path.of(dir).getFileName().toString()).matches();
        }
        if (cmd.contains("io.mp4j.worker.forkserver.ForkServerMain")) return p.ppid() == ProcessTable.SELF;
        if (cmd.contains("io.mp4j.worker.ChildMain") && cmd.contains(" --warm")) {
            if (p.nice() >= 19) return true; // still warming up at low priority: never given a task
            int at = cmd.indexOf("--ready=");
            if (at < 0) return false;
            int end = cmd.indexOf(' ', at);
            return Files.exists(Path.of(cmd.substring(at + "--ready=".length(), end < 0 ? cmd.length() : end)));
        }
        return false;
    }

    /** Entries of {@link #places()} whose name carries one of {@code pids}. */
    static Set<Path> files(Set<Long> pids) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path place : places()) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(place)) {
                for (Path f : ds) if (carriesPid(f.getFileName().toString(), pids)) out.add(f);
            } catch (IOException e) {
                // not there, or not readable: nothing of ours can be in it
            }
        }
        return out;
    }

    /** Whether a name such as {@code mp4j-123-spawn-ab12} or {@code mp4j-warmup-123-9} has a part equal to a pid. */
    static boolean carriesPid(String name, Set<Long> pids) {
        if (!name.startsWith("mp4j")) return false;
        for (String part : name.split("[-_.]")) {
            if (ProcessTable.isDigits(part) && part.length() < 10 && pids.contains(Long.parseLong(part))) return true;
        }
        return false;
    }

    /** The leaked processes and files of a class. */
    record Leftovers(List<ProcessTable.Proc> processes, List<Path> files) {
        boolean isEmpty() { return processes.isEmpty() && files.isEmpty(); }

        /** Whether all that is left is AOT cache trainings: their shells and what those shells started. */
        boolean onlyTrainings() {
            if (!files.isEmpty()) return false;
            Map<Long, ProcessTable.Proc> byPid = new java.util.HashMap<>();
            for (ProcessTable.Proc p : processes) byPid.put(p.pid(), p);
            for (ProcessTable.Proc p : processes) {
                ProcessTable.Proc a = p;
                while (a != null && !TRAINING_SHELL.matcher(a.cmdline()).find()) a = byPid.get(a.ppid());
                if (a == null) return false;
            }
            return true;
        }

        String describe(String testClass, Duration grace) {
            StringBuilder b = new StringBuilder(testClass).append(" left behind (still there ")
                    .append(grace.toMillis() / 1000.0).append(" s after it ended; now killed and removed):");
            for (ProcessTable.Proc p : processes) b.append("\n  process ").append(p);
            for (Path f : files) b.append("\n  file ").append(f);
            return b.toString();
        }

        /** Kills the processes (children first) and waits for their ends, then deletes the files. */
        void remove() {
            List<ProcessHandle> killed = new java.util.ArrayList<>();
            for (ProcessTable.Proc p : processes.reversed()) {
                ProcessHandle.of(p.pid()).filter(h -> ProcessTable.alive(p)).ifPresent(h -> {
                    h.destroyForcibly();
                    killed.add(h);
                });
            }
            // SIGKILL is asynchronous: the next class (and the report's "killed") must not see them alive
            for (ProcessHandle h : killed) {
                try {
                    h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                    // a process that outlives SIGKILL this long is the kernel's; the next check reports it again
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            for (Path f : files) {
                try (Stream<Path> walk = Files.walk(f)) {
                    walk.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to delete
                }
            }
        }
    }
}
