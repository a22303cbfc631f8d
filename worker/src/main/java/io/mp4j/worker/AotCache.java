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
 * warm-up) for the warm JVMs of FORK and FORKSERVER, whose warm-up it makes some 35% cheaper (measured:
 * 0.43–0.59 s and 0.8–1.1 s of CPU against 0.69–1.01 s and 1.2–1.7 s). A short-lived child pays to map a
 * large cache, so SPAWN children keep the lean one.
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
 * Mode, from the system property {@code mp4j.aot}: {@code auto} (default), {@code off}, or {@code strict}
 * ({@code -XX:AOTMode=on}: a child whose cache is rejected fails loudly; for tests). Directory: the system
 * property {@code mp4j.aot.dir}, default {@code ~/.cache/mp4j/aot}.
 */
public final class AotCache {
    public static final String MODE_PROPERTY = "mp4j.aot";
    public static final String DIR_PROPERTY = "mp4j.aot.dir";

    private static final ConcurrentHashMap<Path, Boolean> TRAINING = new ConcurrentHashMap<>();

    /** Which cache: its file-name prefix and its training argument. */
    public enum Variant {
        LEAN("child", "--train"), STANDBY("standby", "--train-warm");

        final String prefix;
        final String trainArg;

        Variant(String prefix, String trainArg) {
            this.prefix = prefix;
            this.trainArg = trainArg;
        }
    }

    private final String classPath;
    private final Variant variant;
    private final Path file;
    private final boolean usable;
    private final String mode;

    private AotCache(String classPath, Path dir, String mode, Variant variant) {
        this.classPath = classPath;
        this.mode = mode;
        this.variant = variant;
        this.usable = !mode.equals("off") && onlyJars(classPath);
        this.file = dir.resolve(variant.prefix + "-" + key(classPath) + ".aot");
    }

    /** The lean cache for this JVM's class path and settings (children that start a task at once). */
    public static AotCache current() {
        return Holder.LEAN;
    }

    /** The cache of warm standby JVMs for this JVM's class path and settings. */
    public static AotCache standby() {
        return Holder.STANDBY;
    }

    private static final class Holder {
        static final AotCache LEAN = forClassPath(Variant.LEAN);
        static final AotCache STANDBY = forClassPath(Variant.STANDBY);

        private static AotCache forClassPath(Variant v) {
            return AotCache.forClassPath(System.getProperty("java.class.path"),
                    Path.of(System.getProperty(DIR_PROPERTY, System.getProperty("user.home") + "/.cache/mp4j/aot")),
                    System.getProperty(MODE_PROPERTY, "auto"), v);
        }
    }

    public static AotCache forClassPath(String classPath, Path dir, String mode) {
        return forClassPath(classPath, dir, mode, Variant.LEAN);
    }

    public static AotCache forClassPath(String classPath, Path dir, String mode, Variant variant) {
        if (!mode.equals("auto") && !mode.equals("off") && !mode.equals("strict")) {
            throw new IllegalArgumentException("mp4j.aot must be auto, off or strict: mp4j.aot=" + mode);
        }
        return new AotCache(classPath, dir, mode, variant);
    }

    public Path file() { return file; }

    /** False when the mode is off or the class path holds a directory (the JDK cannot archive those). */
    public boolean isUsable() { return usable; }

    /**
     * The flags a child JVM should get now: the cache when a valid one exists; otherwise none, and a
     * training run is started in the background (once per JVM and cache).
     */
    public List<String> childFlags() {
        if (!usable) return List.of();
        if (isValid()) return flagsFor(file);
        startTraining();
        return List.of();
    }

    private List<String> flagsFor(Path f) {
        if (mode.equals("strict")) return List.of("-XX:AOTCache=" + f, "-XX:AOTMode=on");
        return List.of("-XX:AOTCache=" + f, "-Xlog:aot=off", "-Xlog:cds=off");
    }

    /** True when the cache exists and still matches what its marker recorded when it was written. */
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
     */
    public boolean build() throws IOException, InterruptedException {
        if (!usable) return false;
        Files.createDirectories(file.getParent());
        try (FileChannel lockChannel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockChannel.lock()) {
            if (isValid()) return true;
            Files.deleteIfExists(marker());
            Files.deleteIfExists(file);
            Path tmp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            List<String> cmd = new ArrayList<>();
            cmd.add(JvmFlags.javaExecutable());
            cmd.addAll(JvmFlags.REQUIRED);
            cmd.addAll(JvmFlags.CHILD);
            cmd.add("-XX:AOTCacheOutput=" + tmp);
            cmd.add("-Xlog:aot=off");
            cmd.add("-Xlog:cds=off");
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add(ChildMain.class.getName());
            cmd.add(variant.trainArg);
            // The training installs its own cache (a shell runs it, then moves the file and writes the
            // marker): a short-lived program that started it may be gone before it ends, and its cache
            // must not be lost with it (every short run would otherwise start a training again).
            Path markerTmp = marker().resolveSibling(marker().getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            String script = String.join(" ", cmd.stream().map(AotCache::shellQuote).toList())
                    + " && mv -f " + shellQuote(tmp.toString()) + " " + shellQuote(file.toString())
                    + " && stat -c '%s %Y' " + shellQuote(file.toString()) + " > " + shellQuote(markerTmp.toString())
                    + " && mv -f " + shellQuote(markerTmp.toString()) + " " + shellQuote(marker().toString());
            Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                Files.deleteIfExists(tmp);
                return false;
            }
            if (!isValid()) {
                Files.deleteIfExists(tmp);
                return false;
            }
            prune();
            return true;
        } finally {
            TRAINING.remove(file);
        }
    }

    private static String shellQuote(String s) { return "'" + s.replace("'", "'\\''") + "'"; }

    /** Caches kept besides the newest (every rebuilt jar makes a new one; each is some 20 MB). */
    private static final int KEEP = 3;

    /** Deletes all but the {@value #KEEP} most recent caches of this variant, and training leftovers (unfinished caches, locks of deleted ones) older than an hour. */
    private void prune() {
        try (var files = Files.list(file.getParent())) {
            List<Path> all = files.toList();
            List<Path> caches = new ArrayList<>(all.stream().filter(p -> p.getFileName().toString().matches(variant.prefix + "-[0-9a-f]+\\.aot")).toList());
            caches.sort((a, b) -> Long.compare(mtime(b), mtime(a)));
            for (Path old : caches.subList(Math.min(KEEP, caches.size()), caches.size())) {
                if (old.equals(file)) continue;
                Files.deleteIfExists(old.resolveSibling(old.getFileName() + ".ok"));
                Files.deleteIfExists(old);
                Files.deleteIfExists(old.resolveSibling(old.getFileName() + ".lock"));
            }
            long hourAgo = System.currentTimeMillis() - TimeUnit.HOURS.toMillis(1);
            for (Path p : all) {
                String n = p.getFileName().toString();
                boolean orphanLock = n.endsWith(".aot.lock") && !Files.exists(p.resolveSibling(n.substring(0, n.length() - ".lock".length())));
                if ((n.endsWith(".tmp") || orphanLock) && mtime(p) < hourAgo) Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // pruning is housekeeping: never a reason to fail
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

    private static String key(String classPath) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((System.getProperty("java.home") + "\n" + System.getProperty("java.runtime.version") + "\n"
                    + JvmFlags.REQUIRED + JvmFlags.CHILD).getBytes(StandardCharsets.UTF_8));
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
