package io.mp4j.examples;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code bin/mp4j example NAME [ARGS]} and {@code bin/mp4j example --list}: finds the classes of this
 * package annotated {@link Example} and runs one's {@code main}. {@code bin/mp4j example NAME --cluster} runs an
 * example written against {@link io.mp4j.BaseContext} (one with {@code public static void run(BaseContext)}) on a
 * local cluster of two nodes instead of this machine's child JVMs: the same program, only the context changed.
 */
public final class ExampleRunner {
    private ExampleRunner() {}

    /** An example: its name, description and main class. */
    public record Entry(String name, String description, Class<?> mainClass) {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0 || args[0].equals("--list")) {
            for (Entry e : all()) System.out.printf("%-28s %s%n", e.name(), e.description());
            return;
        }
        Entry e = find(args[0]);
        if (Arrays.asList(args).contains("--cluster")) {
            runOnCluster(e);
            return;
        }
        Method main = e.mainClass().getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    private static void runOnCluster(Entry e) throws Throwable {
        Method run;
        try {
            run = e.mainClass().getMethod("run", io.mp4j.BaseContext.class);
        } catch (NoSuchMethodException x) {
            throw new IllegalArgumentException("example " + e.name() + " is not written against BaseContext (no run(BaseContext)),"
                    + " so it runs on this machine only");
        }
        try (io.mp4j.cluster.ClusterContext ctx = io.mp4j.cluster.ClusterContext.startLocal(2)) {
            run.invoke(null, ctx);
        } catch (InvocationTargetException ex) {
            throw ex.getCause();
        }
    }

    /** The example called {@code name}. */
    public static Entry find(String name) throws IOException {
        List<Entry> all = all();
        return all.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "no example named " + name + "; known: " + all.stream().map(Entry::name).toList()));
    }

    /** Every example, sorted by name. */
    public static List<Entry> all() throws IOException {
        List<Entry> out = new ArrayList<>();
        for (String cls : classNames()) {
            try {
                Class<?> c = Class.forName(cls, false, ExampleRunner.class.getClassLoader());
                Example ex = c.getAnnotation(Example.class);
                if (ex != null) out.add(new Entry(ex.name(), ex.description(), c));
            } catch (ClassNotFoundException | LinkageError ignored) {
                // not loadable here: not an example
            }
        }
        out.sort(Comparator.comparing(Entry::name));
        return out;
    }

    private static List<String> classNames() throws IOException {
        Path source;
        try {
            source = Path.of(ExampleRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        String pkg = ExampleRunner.class.getPackageName().replace('.', '/');
        if (Files.isDirectory(source)) return list(source.resolve(pkg), source);
        try (FileSystem fs = FileSystems.newFileSystem(source, Map.of())) {
            Path root = fs.getPath("/");
            return list(root.resolve(pkg), root);
        }
    }

    private static List<String> list(Path dir, Path root) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> root.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$"))
                    .map(n -> n.substring(0, n.length() - 6).replace('/', '.'))
                    .sorted().toList();
        }
    }
}
