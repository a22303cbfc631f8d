package io.mp4j;

import io.mp4j.function.Fn;
import io.mp4j.function.Task1;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.tools.ToolProvider;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Targets whose classes come from a class loader other than the application's ({@code mvn exec:java}, plugins):
 * children get a class path that reaches them, in every start method; where none can, start() and submit() fail
 * at once naming the loader.
 */
class ClassLoaderTargetTest {
    private static final String SOURCE = """
            package plugin;
            public class Plugin {
                public static void write(String path) throws Exception {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(path), "ran in " + ProcessHandle.current().pid());
                }
                public static io.mp4j.function.Task1<String> target() { return Plugin::write; }
                static Integer square(Integer x) { return x * x; }
                public static io.mp4j.function.Fn<Integer, Integer> squareFn() { return Plugin::square; }
            }
            """;

    static Path dir;
    static URLClassLoader plugins;

    @BeforeAll
    static void compilePlugin() throws Exception {
        dir = Files.createTempDirectory(io.mp4j.testkit.TestFiles.prefix("plugin"));
        Path src = dir.resolve("src/plugin/Plugin.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), src.toString());
        assertThat(rc).as("javac").isZero();
        plugins = new URLClassLoader("plugins", new URL[]{classes.toUri().toURL()}, ClassLoader.getSystemClassLoader());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        plugins.close();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @SuppressWarnings("unchecked")
    private static Task1<String> pluginTarget(ClassLoader loader) throws Exception {
        return (Task1<String>) Class.forName("plugin.Plugin", true, loader).getMethod("target").invoke(null);
    }

    @Test
    void shouldRunATargetOfAUrlClassLoaderInEveryStartMethod() throws Exception {
        Task1<String> target = pluginTarget(plugins);
        for (StartMethod m : StartMethod.values()) {
            Path out = dir.resolve("out-" + m.pythonName());
            MpProcess p = Multiprocessing.getContext(m).process(target, out.toString());
            p.start();
            p.join();
            assertThat(p.exitCode()).as(m + ": the child found plugin.Plugin").isZero();
            assertThat(Files.readString(out)).as(m.toString()).startsWith("ran in ");
            if (m.isProcess()) assertThat(Files.readString(out)).isNotEqualTo("ran in " + ProcessHandle.current().pid());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRefuseAtSubmitAPoolTaskItsWorkersCouldNotLoad() throws Exception {
        Fn<Integer, Integer> square = (Fn<Integer, Integer>) Class.forName("plugin.Plugin", true, plugins).getMethod("squareFn").invoke(null);
        try (Pool pool = Multiprocessing.getContext(StartMethod.SPAWN).pool(1)) {
            assertThatThrownBy(() -> pool.apply(square, 7)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("plugin.Plugin").hasMessageContaining("URLClassLoader 'plugins'");
        }
        try (Pool pool = Multiprocessing.getContext(StartMethod.THREAD).pool(1)) {
            assertThatThrownBy(() -> pool.apply(square, 7)).as("a THREAD pool's workers resolve names through the library's loader")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("plugin.Plugin");
            Integer abs = pool.apply((Fn<Integer, Integer>) Math::abs, -7);
            assertThat(abs).as("and the pool still serves").isEqualTo(7);
        }
    }

    /** A loader that does not say where its classes come from. */
    static final class OpaqueLoader extends ClassLoader {
        OpaqueLoader() { super("opaque", ClassLoader.getSystemClassLoader()); }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                byte[] b = Files.readAllBytes(dir.resolve("classes").resolve(name.replace('.', File.separatorChar) + ".class"));
                return defineClass(name, b, 0, b.length);
            } catch (java.io.IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    @Test
    void shouldFailAtStartNamingALoaderThatHidesWhereItsClassesComeFrom() throws Exception {
        Task1<String> target = pluginTarget(new OpaqueLoader());
        for (StartMethod m : List.of(StartMethod.SPAWN, StartMethod.FORK, StartMethod.FORKSERVER)) {
            MpProcess p = Multiprocessing.getContext(m).process(target, dir.resolve("never").toString());
            assertThatThrownBy(p::start).as(m.toString()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("plugin.Plugin").hasMessageContaining("OpaqueLoader 'opaque'")
                    .hasMessageContaining("docs/embedding.md");
            assertThat(p.pid()).as("nothing started").isNull();
        }
        assertThat(dir.resolve("never")).doesNotExist();
    }
}
