package io.mp4j.worker;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.testkit.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The child JVMs' ahead-of-time cache: built for a jar class path, used, and rebuilt when corrupt. A build is two
 * JVM runs of several seconds: the lean cache is built once for the class and copied where a test changes it, and
 * the one rebuild of a lean cache is also the test of a training that outlives the program that started it.
 */
class AotCacheTest {
    @TempDir
    Path tmp;

    @TempDir
    static Path shared;

    /** The worker's class path as jars, and a lean cache built for it (read only: copy it to change it). */
    private static String cp;
    private static AotCache lean;

    @BeforeAll
    static void buildTheLeanCache() throws Exception {
        cp = jarClassPath(shared);
        lean = AotCache.forClassPath(cp, shared.resolve("aot"), "strict");
        assertThat(lean.isUsable()).isTrue();
        assertThat(lean.isValid()).as("no cache before the first build").isFalse();
        assertThat(lean.build()).as("the first build").isTrue();
        assertThat(lean.isValid()).isTrue();
    }

    @Test
    void shouldUseACopyOfTheBuildAndDetectACorruptCache() throws Exception {
        AotCache cache = AotCache.forClassPath(cp, copyOfTheLeanCache(tmp.resolve("aot")), "strict");
        assertThat(cache.isValid()).as("a copy of the class's build").isTrue();
        assertThat(runChild(cp, cache.childFlags())).as("a child using the cache in strict mode").isZero();

        Files.write(cache.file(), "not an AOT cache".getBytes());
        assertThat(cache.isValid()).as("a corrupt cache is detected").isFalse();
        assertThat(runChild(cp, List.of("-XX:AOTCache=" + cache.file(), "-XX:AOTMode=on")))
                .as("strict mode fails loudly on a rejected cache").isNotZero();
        // its rebuild: shouldRebuildACorruptCacheEvenWhenTheProgramThatStartedTheTrainingHasEnded (a training is two JVM runs)
    }

    /** A copy of the lean cache and its marker in {@code dir}, which a test may change. */
    private static Path copyOfTheLeanCache(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path f : List.of(lean.file(), lean.file().resolveSibling(lean.file().getFileName() + ".ok"))) {
            Files.copy(f, dir.resolve(f.getFileName()), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        return dir;
    }

    @Test
    void shouldHoldTheClassesOfAChildsOwnPathInTheLeanCache() throws Exception {
        List<String> flags = new ArrayList<>(lean.childFlags());
        flags.add("-Xlog:class+load=info");
        String log = runChildOutput(cp, flags, "--train");
        // a class missing from the cache is looked up jar by jar along the class path, opening every jar it passes
        for (Class<?> c : List.of(ChildMain.class, ParentWatch.class, ChildRuntime.class, FastExit.class, WarmUpPriority.class,
                Launch.class, io.mp4j.worker.task.FunctionRef.class)) {
            assertThat(log).as(c.getName() + " comes from the cache").contains(c.getName() + " source: shared objects file");
        }
        assertThat(log).as("the parent watch's body comes from the cache").contains("io.mp4j.worker.ParentWatch$Watch source: shared objects file");
    }

    @Test
    void shouldBuildTheStandbyCacheBesideTheLeanOne() throws Exception {
        AotCache ownLean = AotCache.forClassPath(cp, tmp.resolve("aot"), "strict");
        AotCache standby = AotCache.forClassPath(cp, tmp.resolve("aot"), "strict", AotCache.Variant.STANDBY);
        assertThat(standby.file()).isNotEqualTo(ownLean.file());
        assertThat(standby.build()).isTrue();
        assertThat(ownLean.isValid()).as("one variant's cache is not the other's").isFalse();
        assertThat(runChild(cp, standby.childFlags(), "--train-warm")).as("a warm-up using the standby cache in strict mode").isZero();
    }

    /**
     * Starts the training of the cache named by its arguments (class path, directory), which is missing or corrupt,
     * and ends while it runs.
     */
    public static final class TrainThenExit {
        public static void main(String[] a) throws InterruptedException {
            AotCache.forClassPath(a[0], Path.of(a[1]), "auto").childFlags(); // no valid cache: starts the training
            // the training process is started by a background thread
            Await.until("the training process started", () -> ProcessHandle.current().children().findAny().isPresent(),
                    java.time.Duration.ofSeconds(60));
            Runtime.getRuntime().halt(0);
        }
    }

    @Test
    @Timeout(360) // a training run at the lowest priority (two JVMs of several seconds) that this test can only wait for
    void shouldRebuildACorruptCacheEvenWhenTheProgramThatStartedTheTrainingHasEnded() throws Exception {
        Path dir = copyOfTheLeanCache(tmp.resolve("aot"));
        AotCache cache = AotCache.forClassPath(cp, dir, "strict");
        Files.write(cache.file(), "not an AOT cache".getBytes());
        assertThat(cache.isValid()).as("corrupt").isFalse();
        List<String> cmd = new ArrayList<>(List.of(JvmFlags.javaExecutable()));
        cmd.addAll(JvmFlags.REQUIRED);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TrainThenExit.class.getName(), cp, dir.toString()));
        Process starter = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(starter.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Await.until("the orphaned training to install its cache", cache::isValid, Await.WARM_UP);
        assertThat(runChild(cp, cache.childFlags())).as("a child using the rebuilt cache in strict mode").isZero();
    }

    @Test
    void shouldNameTheChildrensCacheAfterTheirJvmShapingOptionsOnly() {
        String cp = tmp.resolve("a.jar") + File.pathSeparator + tmp.resolve("b.jar");
        List<String> passedOn = new ArrayList<>(JvmFlags.REQUIRED);
        passedOn.addAll(List.of("-Dapp.mode=prod", "-Dmp4j.test=true", "-Xlog:aot=off", "-Xlog:cds=off", "-verbose:gc"));
        String plain = AotCache.forClassPath(cp, tmp, "auto").file().getFileName().toString();
        assertThat(AotCache.forChildren(new JvmSpec(cp, passedOn), AotCache.Variant.LEAN).file().getFileName().toString())
                .as("the library's flags, properties and logging passed on by the parent: the cache the benchmark builds").isEqualTo(plain);
        passedOn.add("-XX:+UseParallelGC");
        assertThat(AotCache.forChildren(new JvmSpec(cp, passedOn), AotCache.Variant.LEAN).file().getFileName().toString())
                .as("another collector: another cache, trained with it").isNotEqualTo(plain);
    }

    @Test
    void shouldNotUseACacheForAClassPathWithDirectories() {
        AotCache cache = AotCache.forClassPath(tmp.toString(), tmp, "auto");
        assertThat(cache.isUsable()).isFalse();
        assertThat(cache.childFlags()).isEmpty();
    }

    private static void touch(Path f, long bytes, long minutesAgo) throws IOException {
        Files.write(f, new byte[(int) bytes]);
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - minutesAgo * 60_000));
    }

    /** A cache and its marker, last used {@code minutesAgo}. */
    private static Path cache(Path dir, String name, long bytes, long minutesAgo) throws IOException {
        Path c = dir.resolve(name);
        touch(c, bytes, minutesAgo);
        touch(dir.resolve(name + ".ok"), 10, minutesAgo);
        return c;
    }

    @Test
    void shouldKeepTheMostRecentlyUsedCachesOfEachKindWithinTheSizeLimit() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("aot"));
        Path c1 = cache(dir, "child-0001.aot", 1000, 1), c2 = cache(dir, "child-0002.aot", 1000, 2),
                c3 = cache(dir, "child-0003.aot", 1000, 3), c4 = cache(dir, "child-0004.aot", 1000, 4),
                old = cache(dir, "child-0005.aot", 1000, 500);
        Path s1 = cache(dir, "standby-0001.aot", 3000, 1), s2 = cache(dir, "standby-0002.aot", 3000, 2);
        AotCache.prune(dir, old, 100_000);
        assertThat(c4).as("beyond the 3 most recently used children's caches").doesNotExist();
        assertThat(dir.resolve("child-0004.aot.ok")).doesNotExist();
        assertThat(old).as("the cache just built or used is never pruned").exists();
        assertThat(List.of(c1, c2, c3, s1, s2)).allMatch(Files::exists);

        AotCache.prune(dir, c1, 6000);
        assertThat(c1).exists();
        long total;
        try (var files = Files.list(dir)) {
            total = files.filter(f -> f.toString().endsWith(".aot")).mapToLong(f -> f.toFile().length()).sum();
        }
        assertThat(total).as("within the size limit but for the cache in use").isLessThanOrEqualTo(6000);
        assertThat(s1).as("the most recently used first").exists();
        assertThat(old).as("the least recently used go first").doesNotExist();
    }

    @Test
    void shouldRemoveWhatAKilledTrainingLeftBehind() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("aot"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        Path killed = Files.createDirectories(dir.resolve(AotCache.TRAINING_DIR_PREFIX + dead));
        Files.write(killed.resolve("cache.aot.config"), new byte[100]);
        Path running = Files.createDirectories(dir.resolve(AotCache.TRAINING_DIR_PREFIX + ProcessHandle.current().pid()));
        Path oldTmp = dir.resolve("child-0001.aot." + dead + ".tmp"), oldConfig = dir.resolve("child-0001.aot." + dead + ".tmp.config");
        touch(oldTmp, 100, 0);
        touch(oldConfig, 100, 0);
        AotCache.prune(dir, dir.resolve("none.aot"));
        assertThat(killed).as("the directory of a training whose shell is gone").doesNotExist();
        assertThat(running).as("a training still running keeps its directory").exists();
        assertThat(oldTmp).as("an earlier version's unfinished cache, its JVM gone").doesNotExist();
        assertThat(oldConfig).doesNotExist();
    }

    @Test
    void shouldStartNoSecondTrainingWhileOneOfTheSameCacheRunsWhoeverStartedIt() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("aot"));
        AotCache cache = AotCache.forClassPath(cp, dir, "auto");
        Path running = Files.createDirectories(dir.resolve(AotCache.TRAINING_DIR_PREFIX + ProcessHandle.current().pid()));
        Files.writeString(running.resolve(AotCache.TRAINING_FOR_FILE), "another-cache.aot\n");
        assertThat(cache.trainingUnderWay()).as("a running training of another cache").isFalse();
        Files.writeString(running.resolve(AotCache.TRAINING_FOR_FILE), cache.file().getFileName() + "\n");
        assertThat(cache.trainingUnderWay()).isTrue();
        assertThat(cache.build()).as("no second training: no cache yet").isFalse();
        assertThat(cache.file()).doesNotExist();

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.move(running, dir.resolve(AotCache.TRAINING_DIR_PREFIX + gone.pid()));
        assertThat(cache.trainingUnderWay()).as("a training whose shell is gone").isFalse();
    }

    @Test
    void shouldLeaveNoTrainingFilesWhenTheTrainingFailsOrIsKilled() throws Exception {
        Path dir = tmp.resolve("aot");
        Path empty = tmp.resolve("empty.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(empty))) {
            out.putNextEntry(new JarEntry("nothing.txt"));
            out.closeEntry();
        }
        AotCache failing = AotCache.forClassPath(empty.toString(), dir, "auto");
        assertThat(failing.build()).as("no ChildMain on that class path: the training fails").isFalse();
        assertThat(leftovers(dir)).as("after a failed training").isEmpty();

        AotCache cache = AotCache.forClassPath(cp, dir, "auto");
        Thread builder = Thread.ofPlatform().start(() -> {
            try {
                cache.build();
            } catch (Exception e) {
                // killed: build returns false or fails; what it leaves is the point
            }
        });
        Path training = Await.until("the training's working directory in " + dir, () -> trainingDir(dir),
                java.util.Objects::nonNull, Await.scaled(java.time.Duration.ofSeconds(60)));
        long shell = Long.parseLong(training.getFileName().toString().substring(AotCache.TRAINING_DIR_PREFIX.length()));
        ProcessHandle sh = ProcessHandle.of(shell).orElseThrow();
        sh.descendants().forEach(ProcessHandle::destroyForcibly);
        sh.destroyForcibly();
        Await.ended(builder, Await.scaled(java.time.Duration.ofSeconds(60)));
        AotCache.prune(dir, dir.resolve("none.aot"));
        assertThat(leftovers(dir)).as("after a training killed with SIGKILL, and a prune").isEmpty();
    }

    /** A training's working directory in {@code dir}, or null while there is none. */
    private static Path trainingDir(Path dir) {
        if (!Files.isDirectory(dir)) return null;
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(AotCache.TRAINING_DIR_PREFIX)).findFirst().orElse(null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Training directories and unfinished caches in {@code dir}. */
    private static List<Path> leftovers(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith(AotCache.TRAINING_DIR_PREFIX)
                    || f.getFileName().toString().contains(".tmp")).toList();
        }
    }

    private static int runChild(String cp, List<String> aotFlags) throws Exception {
        return runChild(cp, aotFlags, "--train");
    }

    private static int runChild(String cp, List<String> aotFlags, String mode) throws Exception {
        return childCommand(cp, aotFlags, mode).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    private static String runChildOutput(String cp, List<String> flags, String mode) throws Exception {
        Process p = childCommand(cp, flags, mode).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    /** {@code java} with the children's flags and {@code flags}, running ChildMain in {@code mode}; stderr into stdout. */
    private static ProcessBuilder childCommand(String cp, List<String> flags, String mode) {
        List<String> cmd = new ArrayList<>(List.of(JvmFlags.javaExecutable()));
        cmd.addAll(JvmFlags.REQUIRED);
        cmd.addAll(JvmFlags.CHILD);
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", cp, ChildMain.class.getName(), mode));
        return new ProcessBuilder(cmd).redirectErrorStream(true);
    }

    /** The worker's class path as jars in {@code dir} (the JDK archives only classes from jars). */
    private static String jarClassPath(Path dir) throws Exception {
        return String.join(File.pathSeparator, jar(ChildMain.class, dir.resolve("worker.jar")), jar(Codec.class, dir.resolve("ipc.jar")),
                location(ObjectMapper.class), location(JsonFactory.class), location(JsonValue.class), location(SmileFactory.class));
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** Jars the classes directory that holds {@code c} (the JDK archives only classes from jars). */
    private static String jar(Class<?> c, Path jar) throws Exception {
        Path dir = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
             Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        } catch (IOException e) {
            throw e;
        }
        return jar.toString();
    }
}
