package io.mp4j;

import io.mp4j.testkit.Await;
import io.mp4j.worker.JvmFlags;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class of the test class path in a fresh coordinator JVM through Apache Commons Exec, with
 * a watchdog, capturing its stdout and stderr (which include its children's, as they inherit them).
 */
final class JvmRun {
    final DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final ExecuteWatchdog watchdog;

    private JvmRun(Duration timeout) {
        watchdog = ExecuteWatchdog.builder().setTimeout(timeout).get();
    }

    /** Starts {@code mainClass} with {@code args}; returns at once. */
    static JvmRun start(Duration timeout, List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        JvmRun r = new JvmRun(timeout);
        List<String> cmd = new ArrayList<>(JvmFlags.command(mainClass.getName(), jvmOptions, args));
        CommandLine cl = new CommandLine(cmd.getFirst());
        for (String a : cmd.subList(1, cmd.size())) cl.addArgument(a, false);
        DefaultExecutor ex = DefaultExecutor.builder().get();
        ex.setStreamHandler(new PumpStreamHandler(r.out, r.err));
        ex.setWatchdog(r.watchdog);
        ex.setExitValues(null);
        ex.execute(cl, r.result);
        return r;
    }

    /** Runs to the end (or the timeout) and returns the exit value. */
    int await() throws InterruptedException {
        result.waitFor();
        return result.getExitValue();
    }

    String stdout() { return out.toString(StandardCharsets.UTF_8); }

    String stderr() { return err.toString(StandardCharsets.UTF_8); }

    /** Waits until stdout has a line starting with {@code prefix}; fails if the JVM ends first or after {@code max}. */
    String awaitLine(String prefix, Duration max) {
        return Await.until("a line starting with '" + prefix + "' in the JVM's stdout", () -> {
            String line = stdout().lines().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
            if (line == null && result.hasResult()) {
                throw new AssertionError("the JVM ended (" + result.getExitValue() + ") with no line starting with '" + prefix
                        + "': stdout=" + stdout() + " stderr=" + stderr());
            }
            return line;
        }, l -> l != null, max);
    }
}
