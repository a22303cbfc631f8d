package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;

import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code ExampleSequence NAME...}: runs the named examples one after another in this JVM, as the cross-mode test
 * does to spare a coordinator JVM per example. Each example's {@code main} is followed by what the end of a
 * program does (Python's {@code _exit_function}: daemon children terminated, the others joined), so that its
 * children have printed everything before the next one starts. Before and after each example, stdout and stderr
 * get a marker line, {@value #START} NAME and {@value #END} NAME ok|failed, by which a reader splits the output
 * per example (children write to the same stdout, and are done by the end marker). An example that has not ended
 * after {@code -Dmp4j.example.limit} seconds (default 90) gets the end marker {@code timeout}, a thread dump on
 * stderr, and ends this JVM with exit status 3.
 *
 * <p>An example that relies on the state of a fresh JVM (its processes named {@code Process-1} and
 * {@code Process-2}, the first this JVM creates) runs first in a sequence, or on its own, by {@link ExampleRunner}.
 */
public final class ExampleSequence {
    /** The marker line before an example's output. */
    public static final String START = "#mp4j-example-start";
    /** The marker line after an example's output, followed by its name and ok, failed or timeout. */
    public static final String END = "#mp4j-example-end";

    private ExampleSequence() {}

    public static void main(String[] args) throws Exception {
        long limitNanos = TimeUnit.SECONDS.toNanos(Long.getLong("mp4j.example.limit", 90));
        for (String name : args) {
            ExampleRunner.Entry e = ExampleRunner.find(name);
            mark(START + " " + name);
            Thread watchdog = watchdog(name, limitNanos);
            String outcome = "ok";
            try {
                e.mainClass().getMethod("main", String[].class).invoke(null, (Object) new String[0]);
                endLikeAProgram();
            } catch (InvocationTargetException x) {
                outcome = "failed";
                x.getCause().printStackTrace();
                endLikeAProgram();
            } finally {
                watchdog.interrupt();
                watchdog.join();
            }
            mark(END + " " + name + " " + outcome);
        }
    }

    /** What the end of a program does with its children: daemons terminated, then every child joined. */
    private static void endLikeAProgram() throws InterruptedException {
        for (MpProcess p : Multiprocessing.activeChildren()) if (p.isDaemon()) p.terminate();
        for (MpProcess p : Multiprocessing.activeChildren()) p.join();
    }

    private static void mark(String line) {
        for (PrintStream s : new PrintStream[] {System.out, System.err}) {
            s.flush();
            s.println(line);
            s.flush();
        }
    }

    private static Thread watchdog(String name, long limitNanos) {
        return Thread.ofPlatform().daemon().name("example-watchdog").start(() -> {
            try {
                TimeUnit.NANOSECONDS.sleep(limitNanos);
            } catch (InterruptedException ended) {
                return;
            }
            for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
                System.err.println("\"" + t.getKey().getName() + "\"");
                for (StackTraceElement f : t.getValue()) System.err.println("\tat " + f);
            }
            mark(END + " " + name + " timeout");
            Runtime.getRuntime().halt(3);
        });
    }
}
