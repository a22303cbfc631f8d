package io.mp4j.worker;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a child JVM is started with besides the library's own flags ({@link JvmFlags}): its class path and the
 * options its parent chose for it (inherited from the parent's command line, the library's {@code mp4j.*}
 * properties, options added to the context). Two starts with equal specs may share a warm JVM; a warm JVM
 * started with another spec must not serve a start (it would run with stale options or class path).
 *
 * @param classPath the child's {@code -cp}
 * @param options   JVM options, in command-line order (a later one overrides an earlier one)
 */
public record JvmSpec(String classPath, List<String> options) {
    /**
     * A spec; the options are copied.
     *
     * @param classPath the child's {@code -cp}
     * @param options   JVM options, in command-line order
     * @throws NullPointerException for a null class path, option list or option
     */
    public JvmSpec {
        Objects.requireNonNull(classPath, "classPath");
        options = List.copyOf(options);
    }

    /**
     * This JVM's class path and {@code mp4j.*} properties, then {@code extra}: for the library's own helper JVMs.
     *
     * @param extra options after the properties
     * @return the spec
     */
    public static JvmSpec ofThisJvm(List<String> extra) {
        List<String> o = new ArrayList<>(libraryProperties());
        o.addAll(extra);
        return new JvmSpec(System.getProperty("java.class.path"), o);
    }

    /**
     * The library's settings ({@code mp4j.*} system properties) as {@code -D} options, so that children share them.
     *
     * @return the options, sorted
     */
    public static List<String> libraryProperties() {
        List<String> o = new ArrayList<>();
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("mp4j.")) o.add("-D" + key + "=" + System.getProperty(key));
        }
        o.sort(null);
        return o;
    }

    /**
     * Whether the options choose a garbage collector ({@code -XX:+UseParallelGC}...): the child's default is then left out.
     *
     * @return whether one of the options selects a collector
     */
    public boolean choosesCollector() {
        for (String o : options) if (o.startsWith("-XX:+Use") && o.endsWith("GC")) return true;
        return false;
    }

    /**
     * The options that shape the JVM itself (not {@code -D} properties, nor logging and verbosity, which change
     * nothing a cache holds): an ahead-of-time cache is trained with them.
     *
     * @return those options, in order
     */
    public List<String> vmOptions() {
        return options.stream().filter(o -> !o.startsWith("-D") && !o.startsWith("-Xlog") && !o.startsWith("-verbose")).toList();
    }

    /**
     * Writes this spec (UTF-8, lengths as ints: a class path can be longer than {@code writeUTF} allows).
     *
     * @param out where to write
     * @throws IOException when writing fails
     */
    public void write(DataOutput out) throws IOException {
        writeString(out, classPath);
        out.writeInt(options.size());
        for (String o : options) writeString(out, o);
    }

    /**
     * Reads what {@link #write} wrote.
     *
     * @param in where to read
     * @return the spec
     * @throws IOException when reading fails, or for a count or length out of range
     */
    public static JvmSpec read(DataInput in) throws IOException {
        String cp = readString(in);
        int n = in.readInt();
        if (n < 0 || n > 100_000) throw new IOException("bad option count: " + n);
        List<String> o = new ArrayList<>(n);
        for (int i = 0; i < n; i++) o.add(readString(in));
        return new JvmSpec(cp, o);
    }

    private static void writeString(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (64 << 20)) throw new IOException("bad string length: " + n);
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
