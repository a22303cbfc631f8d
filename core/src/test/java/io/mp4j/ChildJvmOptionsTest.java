package io.mp4j;

import io.mp4j.core.InheritedJvmOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Child JVMs inherit the parent's heap, collector and -D properties (not its agents), take options added to the
 * context from then on (never a warm JVM started with older ones), and inherit nothing when told: in every start
 * method, processes and pool workers.
 */
class ChildJvmOptionsTest {
    private static final Duration LIMIT = Duration.ofMinutes(4);
    /** With a property longer than 4096 bytes: a command line that long once hid every option from the children. */
    private static final List<String> PARENT = List.of("-Xmx300m", "-XX:+UseParallelGC", "-Dapp.mode=prod", "-Dapp.long=" + "x".repeat(5000));

    @Test
    @Timeout(270) // a parent JVM starting children in every start method (LIMIT, 4 min) that this test can only wait for
    void shouldGiveChildrenTheParentsOptionsThenOptionsAddedLaterThenOnlyThoseInEveryStartMethod() throws Exception {
        Map<String, String> lines = run();
        for (StartMethod m : StartMethod.values()) {
            String n = m.pythonName();
            for (String tag : List.of(n + "-first", n + "-later", n + "-pool")) {
                assertThat(lines).as(tag).containsKey(tag);
                assertThat(lines.get(tag)).as(tag).contains("mode=prod").contains("gc=PS_");
                assertThat(heapMiB(lines.get(tag))).as(tag + ": the parent's -Xmx300m").isBetween(200L, 300L);
            }
            if (!m.isProcess()) continue;
            assertThat(lines.get(n + "-first")).as(n + ": before addJvmOptions").contains("late=null");
            assertThat(lines.get(n + "-later")).as(n + ": added after the first child (warm JVMs were ready)").contains("late=" + n);
            assertThat(lines.get(n + "-pool")).as(n + ": a pool worker started after it").contains("late=" + n);
            String nothing = lines.get(n + "-nothing");
            // FORK's snapshot copies the parent's system properties at start(), whatever the command line
            assertThat(nothing).as(n + ": inheriting nothing").contains(m == StartMethod.FORK ? "mode=prod" : "mode=null")
                    .contains("late=" + n).doesNotContain("gc=PS_");
            assertThat(heapMiB(nothing)).as(n + ": not the parent's -Xmx300m").isGreaterThan(300L);
        }
    }

    private static Map<String, String> run() throws Exception {
        JvmRun r = JvmRun.start(LIMIT, PARENT, ChildOptionsMain.class);
        int code = r.await();
        assertThat(code).as("stdout=" + r.stdout() + " stderr=" + r.stderr()).isZero();
        assertThat(r.stdout()).contains("done");
        return r.stdout().lines().filter(l -> l.contains(" mode="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf(' ')), Function.identity(), (x, y) -> x));
    }

    private static long heapMiB(String line) {
        String v = line.replaceAll(".* heapMiB=(\\d+).*", "$1");
        return Long.parseLong(v);
    }

    @Test
    void shouldInheritSharableOptionsAndLeaveOutAgentsRecordingsJmxAndTheClassPath() {
        List<String> got = InheritedJvmOptions.of(List.of("-Xmx300m", "-XX:+UseParallelGC", "-Dapp.mode=prod",
                "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-javaagent:/x/agent.jar",
                "-XX:StartFlightRecording=filename=rec.jfr", "-Dcom.sun.management.jmxremote.port=9010",
                "-Xlog:gc:file=gc.log", "-Xlog:gc", "-ea", "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "-cp", "a.jar:b.jar", "-XX:AOTCache=app.aot", "-Dmp4j.start.method=fork", "com.acme.Main", "-Dnot.an.option=1"));
        assertThat(got).containsExactly("-Xmx300m", "-XX:+UseParallelGC", "-Dapp.mode=prod", "-Xlog:gc", "-ea",
                "--add-opens=java.base/java.util=ALL-UNNAMED");
    }

    @Test
    void shouldReadArgumentFilesAsTheJavaLauncherDoes() throws Exception {
        java.nio.file.Path f = io.mp4j.testkit.TestFiles.file("args", ".txt");
        try {
            java.nio.file.Files.writeString(f, "# options\n-Xmx64m \"-Dwith.space=a b\"\n'-Dquoted=x'\n-jar booter.jar\n");
            assertThat(InheritedJvmOptions.of(List.of("@" + f, "-Dafter=1")))
                    .as("nothing after -jar is an option of the JVM").containsExactly("-Xmx64m", "-Dwith.space=a b", "-Dquoted=x");
        } finally {
            java.nio.file.Files.delete(f);
        }
    }

    @Test
    void shouldRefuseAddingSomethingThatIsNotAJvmOptionOrAClassPath() {
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
        assertThatThrownBy(() -> ctx.addJvmOptions("Xmx1g")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option=Xmx1g");
        assertThatThrownBy(() -> ctx.addJvmOptions("-cp")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("class path");
        assertThatThrownBy(() -> ctx.addJvmOptions((String) null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ctx.childJvmOptions()).doesNotContain("Xmx1g", "-cp");
    }
}
