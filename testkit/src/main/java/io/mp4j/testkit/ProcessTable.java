package io.mp4j.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes of this test JVM's tree, read from {@code /proc}: its descendants, and every process that carries
 * the test run's marker in its environment ({@link #MARKER}, set by Surefire for the test JVM and inherited by
 * every child, grandchild and orphan of it). Other test runs on the same machine carry another value, or none.
 */
final class ProcessTable {
    /** The environment variable that marks a test JVM and everything it starts (see the parent pom). */
    static final String MARKER = "MP4J_TEST_RUN";

    /** A process: its start time (clock ticks since boot) tells it apart from a later one with the same pid. */
    record Proc(long pid, long ppid, long start, int nice, String cmdline) {
        String id() { return pid + "@" + start; }

        /** The command line with its class path left out and cut at 300 characters, for reports. */
        @Override
        public String toString() {
            String c = cmdline.replaceAll("(-cp|-classpath|--class-path) \\S+", "$1 ...");
            return "pid " + pid + " (parent " + ppid + "): " + (c.length() > 300 ? c.substring(0, 300) + " ..." : c);
        }
    }

    static final long SELF = ProcessHandle.current().pid();
    private static final byte[] MARK = markerBytes();

    private ProcessTable() {}

    private static byte[] markerBytes() {
        String v = System.getenv(MARKER);
        return v == null || v.isEmpty() ? null : (MARKER + "=" + v + "\0").getBytes(StandardCharsets.UTF_8);
    }

    /** Whether this JVM carries the marker (else only its descendants can be told apart). */
    static boolean marked() { return MARK != null; }

    /** Every live process of this JVM's tree but this JVM, by pid. */
    static Map<Long, Proc> ours() { return ours(true); }

    /**
     * The live processes of this JVM's tree but this JVM, by pid: its descendants, and with {@code orphans} also the
     * processes that carry the marker but were reparented away (which costs a read of every process's environment).
     */
    static Map<Long, Proc> ours(boolean orphans) {
        Map<Long, long[]> all = new HashMap<>(); // pid -> ppid, start, nice
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), p -> isDigits(p.getFileName().toString()))) {
            for (Path p : ds) {
                long pid = Long.parseLong(p.getFileName().toString());
                long[] stat = stat(pid);
                if (stat != null) all.put(pid, stat);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e, e);
        }
        Map<Long, List<Long>> children = new HashMap<>();
        all.forEach((pid, st) -> children.computeIfAbsent(st[0], k -> new ArrayList<>()).add(pid));
        java.util.Set<Long> found = new java.util.LinkedHashSet<>();
        Deque<Long> todo = new ArrayDeque<>(List.of(SELF));
        while (!todo.isEmpty()) {
            for (long c : children.getOrDefault(todo.pop(), List.of())) {
                if (found.add(c)) todo.push(c);
            }
        }
        if (orphans && MARK != null) {
            for (long pid : all.keySet()) if (pid != SELF && !found.contains(pid) && carriesMarker(pid)) found.add(pid);
        }
        Map<Long, Proc> out = new LinkedHashMap<>();
        for (long pid : found) {
            long[] st = all.get(pid);
            out.put(pid, new Proc(pid, st[0], st[1], (int) st[2], cmdline(pid)));
        }
        return out;
    }

    /** The process {@code pid} as it is now, or null if it is gone (or not readable). */
    static Proc read(long pid) {
        long[] st = stat(pid);
        return st == null ? null : new Proc(pid, st[0], st[1], (int) st[2], cmdline(pid));
    }

    /** ppid, start time and nice value of a live process; null if it is gone or a zombie. */
    private static long[] stat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the name: f[0] state (field 3), f[1] ppid (4), f[16] nice (19), f[19] starttime (22)
            if (f[0].equals("Z")) return null; // a zombie has ended; only its reaping is left
            return new long[]{Long.parseLong(f[1]), Long.parseLong(f[19]), Long.parseLong(f[16])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Whether {@code p} is still the same live process. */
    static boolean alive(Proc p) {
        Proc now = read(p.pid());
        return now != null && now.start() == p.start();
    }

    private static boolean carriesMarker(long pid) {
        byte[] env;
        try {
            env = Files.readAllBytes(Path.of("/proc/" + pid + "/environ"));
        } catch (IOException e) {
            return false; // another user's, or gone
        }
        outer:
        for (int i = 0; i + MARK.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) continue; // only at the start of a variable
            for (int k = 0; k < MARK.length; k++) if (env[i + k] != MARK[k]) continue outer;
            return true;
        }
        return false;
    }

    static boolean isDigits(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }
}
