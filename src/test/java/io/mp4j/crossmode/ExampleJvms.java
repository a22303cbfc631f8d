package io.mp4j.crossmode;

import io.mp4j.worker.AotCache;
import io.mp4j.worker.JvmFlags;

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

/**
 * How the cross-mode test starts its example JVMs as {@code bin/mp4j example} does: from jars, so that their
 * children get the library's ahead-of-time caches (the JDK archives only classes from jars, and a test run's class
 * path holds the modules' class directories). The class directories are jarred once per run; the children's two
 * caches (lean and standby) and one for the example JVMs themselves (trained on one example) are built for that
 * class path before the first example. Each example and its children then start at about the cost they have in an
 * installed application, a quarter less CPU than from class directories. Jars and caches live under the module's
 * {@code target}; a cache that cannot be built is left out, and the examples run without it.
 */
final class ExampleJvms {
    /** The example the example JVMs' own cache is trained on: a queue, a lock and processes, under THREAD (no JVM starts). */
    private static final String TRAINING_EXAMPLE = "queue-consumers";

    private final String classPath;
    private final Path aotDir;
    private final Path coordinatorCache;

    private ExampleJvms(String classPath, Path aotDir, Path coordinatorCache) {
        this.classPath = classPath;
        this.aotDir = aotDir;
        this.coordinatorCache = coordinatorCache;
    }

    /** Jars the class directories of this JVM's class path (test classes left out) into {@code dir}, and builds the caches. */
    static ExampleJvms prepare(Path dir) throws IOException, InterruptedException {
        Path jars = Files.createDirectories(dir.resolve("jars"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            if (e.isEmpty() || e.contains("test-classes")) continue;
            if (Files.isDirectory(p)) entries.add(jar(p, jars.resolve((n++) + "-" + p.getParent().getParent().getFileName() + ".jar")));
            else entries.add(e);
        }
        String cp = String.join(File.pathSeparator, entries);
        Path aot = Files.createDirectories(dir.resolve("aot"));
        for (AotCache.Variant v : AotCache.Variant.values()) {
            AotCache cache = AotCache.forClassPath(cp, aot, "auto", v);
            if (cache.isUsable() && !cache.build()) System.err.println("cross-mode examples: the " + v + " cache could not be built; children start without it");
        }
        try (Stream<Path> old = Files.list(aot)) { // an earlier run's, for jars since rebuilt (some 40 MB each)
            for (Path f : old.filter(f -> f.getFileName().toString().startsWith("examples-")).toList()) Files.deleteIfExists(f);
        }
        Path coordinator = aot.resolve("examples-" + System.nanoTime() + ".aot");
        ExampleJvms plain = new ExampleJvms(cp, aot, null);
        List<String> train = new ArrayList<>(plain.command(io.mp4j.examples.ExampleRunner.class.getName(),
                List.of("-Dmp4j.start.method=thread"), TRAINING_EXAMPLE));
        train.remove("-Xshare:auto");
        train.add(1, "-XX:AOTCacheOutput=" + coordinator);
        Process p = new ProcessBuilder(train).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        boolean ended = p.waitFor(3, java.util.concurrent.TimeUnit.MINUTES);
        if (!ended) p.destroyForcibly().waitFor();
        if (!ended || p.exitValue() != 0 || !Files.isRegularFile(coordinator)) {
            System.err.println("cross-mode examples: the examples' own cache could not be built; they start without it");
            return plain;
        }
        return new ExampleJvms(cp, aot, coordinator);
    }

    /** The command that runs {@code mainClass} with {@code args} as an application of these jars would. */
    List<String> command(String mainClass, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JvmFlags.javaExecutable());
        if (coordinatorCache != null) {
            // a cache the JVM rejects is ignored silently (its warning would land in the example's stdout)
            cmd.addAll(List.of("-XX:AOTCache=" + coordinatorCache, "-Xlog:aot=off", "-Xlog:cds=off"));
        } else {
            cmd.add("-Xshare:auto");
        }
        cmd.addAll(JvmFlags.REQUIRED);
        cmd.add("-D" + AotCache.DIR_PROPERTY + "=" + aotDir);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static String jar(Path classes, Path jar) throws IOException {
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar.toString();
    }
}
