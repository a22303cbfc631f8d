package io.mp4j.testkit;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * Gives the child JVMs of a test run a class path of jars, as an installed application's children have: the JDK's
 * ahead-of-time cache (which the library trains for its children) archives classes from jars only, and a test JVM's
 * class path holds the modules' class directories, so without this every child of a test starts without a cache.
 * Before the first test, each directory on {@code java.class.path} is copied into a jar of the same content under
 * the module's {@code target/test-jars}, and {@code java.class.path} (the class path the library gives a child) is set
 * to the jars; the test JVM itself keeps loading from the directories. A jar is rewritten only when its directory
 * changed, so that a cache trained for it stays valid between runs. The caches live under {@code target/test-aot}
 * ({@code mp4j.aot.dir}), apart from the user's and from other runs on the machine.
 *
 * <p>On when the system property {@value #PROPERTY} is {@code true} (core's Surefire configuration passes
 * {@code -Dmp4j.test.jars}, off by default: on a fresh clone the caches' trainings cost about what they save, and a
 * training at the lowest priority on a busy machine keeps the leak check of the class that started it waiting);
 * registered for every module through {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class TestJars implements TestExecutionListener {
    /** The system property that turns it on. */
    public static final String PROPERTY = "mp4j.test.jars";
    private static final String AOT_DIR_PROPERTY = "mp4j.aot.dir";
    private static boolean installed;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        install();
    }

    /**
     * Jars the class directories of {@code java.class.path} and sets it to the jars, once per JVM, when {@value #PROPERTY}
     * is {@code true}; idempotent.
     *
     * @throws UncheckedIOException when a jar cannot be written
     */
    public static synchronized void install() {
        if (installed || !Boolean.getBoolean(PROPERTY)) return;
        installed = true;
        Path target = Path.of(System.getenv().getOrDefault("MP4J_TEST_RUN", "target")).toAbsolutePath();
        try {
            Path jars = Files.createDirectories(target.resolve("test-jars"));
            List<String> out = new ArrayList<>();
            for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                if (e.isEmpty()) continue;
                Path p = Path.of(e).toAbsolutePath().normalize();
                out.add(Files.isDirectory(p) ? jar(p, jars).toString() : e);
            }
            System.setProperty("java.class.path", String.join(File.pathSeparator, out));
            if (System.getProperty(AOT_DIR_PROPERTY) == null) {
                System.setProperty(AOT_DIR_PROPERTY, Files.createDirectories(target.resolve("test-aot")).toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not jar the test class path into " + target.resolve("test-jars"), e);
        }
    }

    /** {@code dir}'s files in a jar under {@code jars}, named after the directory; reused while the directory is unchanged. */
    static Path jar(Path dir, Path jars) throws IOException {
        // module/target/classes -> module-classes.jar
        Path module = dir.getParent() == null || dir.getParent().getParent() == null ? dir : dir.getParent().getParent();
        Path jar = jars.resolve(module.getFileName() + "-" + dir.getFileName() + ".jar");
        Path stamp = jars.resolve(jar.getFileName() + ".stamp");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        String fingerprint = fingerprint(dir, files);
        if (Files.isRegularFile(jar) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(fingerprint)) return jar;
        Path tmp = Files.createTempFile(jars, jar.getFileName().toString(), ".tmp");
        try (OutputStream os = Files.newOutputStream(tmp); JarOutputStream zip = new JarOutputStream(os)) {
            zip.setLevel(Deflater.NO_COMPRESSION); // written once per change, read by every child: no need to pack it
            for (Path f : files) {
                zip.putNextEntry(new JarEntry(dir.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.writeString(stamp, fingerprint);
        return jar;
    }

    /** The directory's files, sizes and modification times, hashed. */
    private static String fingerprint(Path dir, List<Path> files) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Path f : files) {
                md.update((dir.relativize(f) + " " + Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
