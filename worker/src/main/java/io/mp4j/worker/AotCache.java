package io.mp4j.worker;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The ahead-of-time cache of child JVMs (JDK 25 {@code -XX:AOTCache}): built on first use for the current
 * class path by a background training run, then given to every child JVM. There are two: the lean one
 * ({@link #current()}, trained by {@code ChildMain --train}: the launch path only) for JVMs that start a task
 * at once, and the standby one ({@link #standby()}, trained by {@code ChildMain --train-warm}: the whole
 * warm-up) for the warm JVMs of FORK and FORKSERVER, whose warm-up it makes about a third cheaper
 * (docs/journal/2026-11-23-starts-pools-scaling.md#fast-starts). A short-lived child pays to map a large cache,
 * so SPAWN children keep the lean one.
 *
 * <ul>
 *   <li>The cache is named after a hash of the JDK (home and version), the child flags and every class-path
 *       entry (path, size, modification time), so a rebuilt jar or another JDK gets a new cache: Temurin
 *       25.0.3 serves stale classes from a cache whose jar was rebuilt (JDK-8377932).</li>
 *   <li>The training run installs its own cache (a shell runs it, moves the file into place and writes
 *       the marker), so that a program that ends before its training does still leaves a cache for the
 *       next one.</li>
 *   <li>A marker file beside the cache records its size and time when it was written; a cache that no
 *       longer matches (truncated, overwritten, corrupt) is deleted and rebuilt, never fatal. A cache the
 *       JVM itself rejects is ignored silently ({@code -Xlog:aot=off}), unless the mode is {@code strict}.</li>
 *   <li>The JDK cannot archive classes from directories, so with a class path that contains a directory
 *       (an IDE, a test run) there is no cache and children start without one.</li>
 * </ul>
 * Mode, from the system property {@code mp4j.aot}: {@code auto} (default), {@code off} (the one switch: no cache,
 * no training, nothing written), or {@code strict} ({@code -XX:AOTMode=on}: a child whose cache is rejected fails
 * loudly; for tests). Directory: the system property {@code mp4j.aot.dir}, default {@code ~/.cache/mp4j/aot}.
 *
 * <p>Bounded on disk: after a training, and once per JVM when a cache is first used, all but the {@value #KEEP}
 * most recently used caches of each kind are deleted, then the least recently used ones until the directory holds
 * at most {@code mp4j.aot.max.mb} (default {@value #DEFAULT_MAX_MB}) MB. A training works in a directory of its own
 * ({@code train-<pid of its shell>}) that its shell removes however the training ends; one left by a training killed
 * with SIGKILL is removed by the next prune, once its shell is gone. The training runs at the lowest CPU priority
 * and lasts seconds: a program that ends first leaves it to finish on its own.
 */
public final class AotCache {
    /** The system property that sets the mode: {@code auto}, {@code off} or {@code strict}. */
    public static final String MODE_PROPERTY = "mp4j.aot";
    /** The system property that sets the caches' directory. */
    public static final String DIR_PROPERTY = "mp4j.aot.dir";
    /** The system property bounding the cache directory's size, in MB. */
    public static final String MAX_MB_PROPERTY = "mp4j.aot.max.mb";
    static final int DEFAULT_MAX_MB = 200;

    private static final ConcurrentHashMap<Path, Boolean> TRAINING = new ConcurrentHashMap<>();

    /** Which cache: its file-name prefix and its training argument. */
    public enum Variant {
        /** The lean cache: a child's launch path, for JVMs that run a task at once. */
        LEAN("child", "--train"),
        /** The standby cache: the whole warm-up, for FORK and FORKSERVER standbys. */
        STANDBY("standby", "--train-warm");

        final String prefix;
        final String trainArg;

        Variant(String prefix, String trainArg) {
            this.prefix = prefix;
            this.trainArg = trainArg;
        }
    }

    private final String classPath;
    /** The options that shape the children's JVM besides the library's ({@link JvmSpec#vmOptions()}): trained with them. */
    private final List<String> vmOptions;
    private final Variant variant;
    private final Path file;
    private final boolean usable;
    private final String mode;

    private AotCache(String classPath, List<String> vmOptions, Path dir, String mode, Variant variant) {
        this.classPath = classPath;
        this.vmOptions = List.copyOf(vmOptions);
        this.mode = mode;
        this.variant = variant;
        this.usable = !mode.equals("off") && onlyJars(classPath);
        this.file = dir.resolve(variant.prefix + "-" + key(classPath, this.vmOptions) + ".aot");
    }

    private static final ConcurrentHashMap<List<Object>, AotCache> FOR_CHILDREN = new ConcurrentHashMap<>();

    /**
     * The cache for children started with {@code spec} (its class path and JVM-shaping options), with this JVM's
     * settings (its directory and mode); one object per spec and variant.
     *
     * @param spec what the children are started with
     * @param variant which cache
     * @return the cache
     */
    public static AotCache forChildren(JvmSpec spec, Variant variant) {
        // the library's own flags are in every key already: a parent started with them (bin/mp4j, Surefire) passes
        // them on, and its children must find the cache AotCache.current() names (the benchmark builds that one)
        List<String> vm = spec.vmOptions().stream().filter(o -> !JvmFlags.REQUIRED.contains(o) && !JvmFlags.CHILD.contains(o)).toList();
        return FOR_CHILDREN.computeIfAbsent(List.of(spec.classPath(), vm, variant), k -> new AotCache(spec.classPath(), vm,
                defaultDir(), System.getProperty(MODE_PROPERTY, "auto"), variant));
    }

    private static Path defaultDir() {
        return Path.of(System.getProperty(DIR_PROPERTY, System.getProperty("user.home") + "/.cache/mp4j/aot"));
    }

    /**
     * The lean cache for this JVM's class path and settings (children that start a task at once).
     *
     * @return the lean cache
     */
    public static AotCache current() {
        return Holder.LEAN;
    }

    /**
     * The cache of warm standby JVMs for this JVM's class path and settings.
     *
     * @return the standby cache
     */
    public static AotCache standby() {
        return Holder.STANDBY;
    }

    private static final class Holder {
        static final AotCache LEAN = forClassPath(Variant.LEAN);
        static final AotCache STANDBY = forClassPath(Variant.STANDBY);

        private static AotCache forClassPath(Variant v) {
            return AotCache.forClassPath(System.getProperty("java.class.path"), defaultDir(), System.getProperty(MODE_PROPERTY, "auto"), v);
        }
    }

    /**
     * The lean cache for a class path (for tests and tools).
     *
     * @param classPath the class path
     * @param dir the caches' directory
     * @param mode {@code auto}, {@code off} or {@code strict}
     * @return the cache
     */
    public static AotCache forClassPath(String classPath, Path dir, String mode) {
        return forClassPath(classPath, dir, mode, Variant.LEAN);
    }

    /**
     * A cache for a class path (for tests and tools).
     *
     * @param classPath the class path
     * @param dir the caches' directory
     * @param mode {@code auto}, {@code off} or {@code strict}
     * @param variant which cache
     * @return the cache
     */
    public static AotCache forClassPath(String classPath, Path dir, String mode, Variant variant) {
        return forClassPath(classPath, List.of(), dir, mode, variant);
    }

    /**
     * The cache for children with this class path and these JVM-shaping options ({@link JvmSpec#vmOptions()}).
     *
     * @param classPath the class path
     * @param vmOptions the options that shape the JVM (no {@code -D} properties)
     * @param dir the caches' directory
     * @param mode {@code auto}, {@code off} or {@code strict}
     * @param variant which cache
     * @return the cache
     * @throws IllegalArgumentException for another mode
     */
    public static AotCache forClassPath(String classPath, List<String> vmOptions, Path dir, String mode, Variant variant) {
        if (!mode.equals("auto") && !mode.equals("off") && !mode.equals("strict")) {
            throw new IllegalArgumentException("mp4j.aot must be auto, off or strict: mp4j.aot=" + mode);
        }
        return new AotCache(classPath, vmOptions, dir, mode, variant);
    }

    /**
     * The cache's file (it may not exist yet).
     *
     * @return the file
     */
    public Path file() { return file; }

    /**
     * False when the mode is off or the class path holds a directory (the JDK cannot archive those).
     *
     * @return whether a cache can be used
     */
    public boolean isUsable() { return usable; }

    /**
     * The flags a child JVM should get now: the cache when a valid one exists; otherwise none, and a
     * training run is started in the background (once per JVM and cache).
     *
     * @return the flags, possibly none
     */
    public List<String> childFlags() {
        if (!usable) return List.of();
        if (isValid()) {
            noteUse();
            return flagsFor(file);
        }
        startTraining();
        return List.of();
    }

    private static final java.util.Set<Path> USED = ConcurrentHashMap.newKeySet();

    /**
     * Once per JVM and cache: marks it used now (its marker's time orders the least recently used first), and
     * prunes the directory on a daemon thread, off the start path.
     */
    private void noteUse() {
        if (!USED.add(file)) return;
        Thread t = new Thread(() -> {
            try {
                Files.setLastModifiedTime(marker(), java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()));
            } catch (IOException | RuntimeException e) {
                // a marker being replaced by a training: the next use marks it
            }
            prune(file.getParent(), file);
        }, "mp4j-aot-prune");
        t.setDaemon(true);
        t.start();
    }

    private List<String> flagsFor(Path f) {
        if (mode.equals("strict")) return List.of("-XX:AOTCache=" + f, "-XX:AOTMode=on");
        return List.of("-XX:AOTCache=" + f, "-Xlog:aot=off", "-Xlog:cds=off");
    }

    /**
     * True when the cache exists and still matches what its marker recorded when it was written.
     *
     * @return whether it is valid
     */
    public boolean isValid() {
        try {
            Path marker = marker();
            if (!Files.isRegularFile(file) || !Files.isRegularFile(marker)) return false;
            return Files.readString(marker).strip().equals(stamp(file));
        } catch (IOException e) {
            return false;
        }
    }

    private Path marker() { return file.resolveSibling(file.getFileName() + ".ok"); }

    /** Size and modification time in seconds: what {@code stat -c '%s %Y'} prints (the training writes it). */
    private static String stamp(Path f) throws IOException {
        return Files.size(f) + " " + Files.getLastModifiedTime(f).to(TimeUnit.SECONDS);
    }

    private void startTraining() {
        if (TRAINING.putIfAbsent(file, Boolean.TRUE) != null) return;
        Thread t = new Thread(() -> {
            try {
                build();
            } catch (IOException | RuntimeException e) {
                // no cache: children start without one
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mp4j-aot-training");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Builds the cache now (deleting an invalid one first) and waits; returns whether a valid cache exists
     * afterwards. Concurrent builders in other JVMs are serialised by a file lock.
     *
     * @return whether a valid cache exists now
     * @throws IOException if the training run cannot be started or the file written
     * @throws InterruptedException if interrupted while waiting for it
     */
    public boolean build() throws IOException, InterruptedException {
        if (!usable) return false;
        Files.createDirectories(file.getParent());
        try (FileChannel lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            if (isValid()) return true;
            // a training that a program now gone started is still running: a second one would only slow it down
            if (trainingUnderWay()) return false;
            Files.deleteIfExists(marker());
            Files.deleteIfExists(file);
            Process p = new ProcessBuilder("/bin/sh", "-c", trainingScript()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly(); // its shell's trap does not run: the next prune removes its directory
                return false;
            }
            prune(file.getParent(), file);
            return isValid();
        } finally {
            TRAINING.remove(file);
        }
    }

    /**
     * The training, as a shell script that installs its own cache: a short-lived program that started it may be
     * gone before it ends, and its cache must not be lost with it (every short run would otherwise start a
     * training again). It works in {@code train-$$} beside the cache (the JDK writes the cache and its
     * configuration file there) and removes that directory however it ends, at the lowest CPU priority.
     */
    private String trainingScript() {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/nice").canExecute()) cmd.addAll(List.of("/usr/bin/nice", "-n", "19"));
        cmd.add(JvmFlags.javaExecutable());
        JvmSpec spec = new JvmSpec(classPath, vmOptions);
        cmd.addAll(JvmFlags.REQUIRED);
        cmd.addAll(JvmFlags.childDefaults(spec));
        for (String o : vmOptions) if (!JvmFlags.REQUIRED.contains(o)) cmd.add(o);
        cmd.add("-XX:AOTCacheOutput=$d/cache.aot"); // expanded by the shell: quoted with double quotes below
        cmd.add("-Xlog:aot=off");
        cmd.add("-Xlog:cds=off");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(ChildMain.class.getName());
        cmd.add(variant.trainArg);
        cmd.add(ChildMain.SCRATCH_ARG + "$d"); // its warm-up files, in the directory its shell removes
        String java = String.join(" ", cmd.stream().map(a -> a.contains("$d") ? "\"" + a + "\"" : shellQuote(a)).toList());
        String dir = shellQuote(file.getParent().toString());
        return "d=" + dir + "/" + TRAINING_DIR_PREFIX + "$$ && mkdir \"$d\" || exit 1\n"
                + "echo " + shellQuote(file.getFileName().toString()) + " > \"$d/" + TRAINING_FOR_FILE + "\"\n"
                + "trap 'rm -rf \"$d\"' EXIT\ntrap 'exit 1' HUP INT TERM\n"
                + java + " </dev/null"
                + " && mv -f \"$d/cache.aot\" " + shellQuote(file.toString())
                + " && stat -c '%s %Y' " + shellQuote(file.toString()) + " > \"$d/ok\""
                + " && mv -f \"$d/ok\" " + shellQuote(marker().toString()) + "\n";
    }

    /** The prefix of a training's working directory, followed by its shell's pid. */
    static final String TRAINING_DIR_PREFIX = "train-";
    /** The file in a training's directory that names the cache it trains. */
    static final String TRAINING_FOR_FILE = "for";

    /** Whether a training of this cache is running now (its shell alive), whichever JVM started it. */
    boolean trainingUnderWay() {
        try (var dirs = Files.list(file.getParent())) {
            for (Path d : dirs.toList()) {
                String n = d.getFileName().toString();
                if (!n.startsWith(TRAINING_DIR_PREFIX) || !trainingAlive(n.substring(TRAINING_DIR_PREFIX.length()))) continue;
                try {
                    if (Files.readString(d.resolve(TRAINING_FOR_FILE)).strip().equals(file.getFileName().toString())) return true;
                } catch (IOException e) {
                    // not written yet, or another cache's: not this one's
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static String shellQuote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }

    /**
     * Caches of each kind kept, the most recently used first: every rebuilt jar makes a new one, and each is tens of
     * MB (docs/journal/2026-12-07-figures-from-code-comments.md#starts).
     */
    static final int KEEP = 3;

    /**
     * Deletes all but the {@value #KEEP} most recently used caches of each kind, then the least recently used ones
     * until the directory holds at most {@code mp4j.aot.max.mb}, never {@code keep} (the cache just built or used);
     * and what trainings left: working directories whose shell is gone (killed) or older than an hour, and the
     * unfinished caches of earlier versions of the library. Housekeeping: never fails.
     */
    static void prune(Path dir, Path keep) {
        prune(dir, keep, Long.getLong(MAX_MB_PROPERTY, DEFAULT_MAX_MB) * 1024 * 1024);
    }

    /** {@link #prune(Path, Path)} with a size limit in bytes. */
    static void prune(Path dir, Path keep, long limit) {
        try (var files = Files.list(dir)) {
            List<Path> all = files.toList();
            List<Path> caches = new ArrayList<>();
            for (Path p : all) if (p.getFileName().toString().matches("[a-z]+-[0-9a-f]+\\.aot")) caches.add(p);
            caches.sort((a, b) -> Long.compare(lastUse(b), lastUse(a)));
            java.util.Map<String, Integer> perKind = new java.util.HashMap<>();
            long total = 0;
            for (Path c : caches) {
                String kind = c.getFileName().toString().substring(0, c.getFileName().toString().indexOf('-'));
                int n = perKind.merge(kind, 1, Integer::sum);
                long size = size(c);
                if (c.equals(keep) || (n <= KEEP && total + size <= limit)) {
                    total += size;
                    continue;
                }
                Files.deleteIfExists(c.resolveSibling(c.getFileName() + ".ok"));
                Files.deleteIfExists(c);
                Files.deleteIfExists(c.resolveSibling(c.getFileName() + ".lock"));
            }
            long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
            for (Path p : all) {
                String n = p.getFileName().toString();
                if (n.startsWith(TRAINING_DIR_PREFIX) && Files.isDirectory(p)) {
                    if (!trainingAlive(n.substring(TRAINING_DIR_PREFIX.length())) || mtime(p) < hourAgo) deleteTree(p);
                    continue;
                }
                boolean orphanLock = n.endsWith(".aot.lock") && !Files.exists(p.resolveSibling(n.substring(0, n.length() - ".lock".length())));
                boolean oldLeftover = n.contains(".tmp") && (mtime(p) < hourAgo || !trainingAlive(pidBefore(n, ".tmp")));
                if (oldLeftover || (orphanLock && mtime(p) < hourAgo)) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // pruning is housekeeping: never a reason to fail
        }
    }

    /** Whether the process {@code pid} (a training's shell or the JVM that named a leftover) still runs. */
    private static boolean trainingAlive(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The pid in a leftover's name {@code <cache>.<pid><suffix>...}, or "" when there is none. */
    private static String pidBefore(String name, String suffix) {
        int end = name.indexOf(suffix);
        int start = name.lastIndexOf('.', end - 1);
        return start < 0 || end < 0 ? "" : name.substring(start + 1, end);
    }

    private static void deleteTree(Path p) throws IOException {
        try (var walk = Files.walk(p)) {
            for (Path f : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }

    /** When a cache was last used: its marker's time (set when written, and at a JVM's first use). */
    private static long lastUse(Path cache) {
        Path marker = cache.resolveSibling(cache.getFileName() + ".ok");
        return Files.exists(marker) ? mtime(marker) : mtime(cache);
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long mtime(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean onlyJars(String classPath) {
        if (classPath == null || classPath.isEmpty()) return false;
        for (String e : classPath.split(File.pathSeparator)) {
            if (e.isEmpty()) continue;
            if (Files.isDirectory(Path.of(e)) || !e.endsWith(".jar")) return false;
        }
        return true;
    }

    private static String key(String classPath, List<String> vmOptions) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((System.getProperty("java.home") + "\n" + System.getProperty("java.runtime.version") + "\n"
                    + JvmFlags.REQUIRED + JvmFlags.CHILD + vmOptions).getBytes(StandardCharsets.UTF_8));
            for (String e : classPath == null ? new String[0] : classPath.split(File.pathSeparator)) {
                Path p = Path.of(e);
                String meta;
                try {
                    meta = e + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis();
                } catch (IOException | RuntimeException ex) {
                    meta = e + " missing";
                }
                md.update(meta.getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return HexFormat.of().formatHex(md.digest(), 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
