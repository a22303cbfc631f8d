package io.mp4j.embedding;

import io.mp4j.testkit.Await;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command of the user's kind (mvn, java, bin/mp4j, bash) with a deadline, stdout and stderr together, with
 * this JVM's JDK as {@code JAVA_HOME} and first on the {@code PATH}.
 */
final class Shell {
    private Shell() {}

    record Result(int code, String output) {}

    /** The repository's root (the tests run in the examples module's directory). */
    static Path root() {
        return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    }

    static Result run(Path dir, Duration limit, Map<String, String> env, List<String> cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        // the user's JDK 25 first (this test's), whatever else is installed
        String jdk = System.getProperty("java.home");
        pb.environment().put("JAVA_HOME", jdk);
        pb.environment().put("PATH", jdk + "/bin:" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofPlatform().daemon(true).start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("(output lost: " + e + ")").getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            boolean killed = p.waitFor(10, TimeUnit.SECONDS);
            boolean read = reader.join(Duration.ofSeconds(10));
            throw new AssertionError((killed ? "" : "(still there after SIGKILL) ") + (read ? "" : "(output still open) ") + "did not end within " + limit + ": " + String.join(" ", cmd) + "\n"
                    + (out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8)));
        }
        Await.ended(reader);
        return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }
}
