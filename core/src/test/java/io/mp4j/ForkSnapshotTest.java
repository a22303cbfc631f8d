package io.mp4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a FORK child gets of its parent, and what it does not. */
class ForkSnapshotTest {
    @TempDir
    Path tmp;

    static int counter = 1;
    static String label = "initial";
    static List<String> names = List.of("a");
    static Thread thread = null;
    static final int CONSTANT = 5;

    static final class Nested {
        static long total = 10;

        private Nested() {}
    }

    /** A class registered for the snapshot. */
    static final class Registered {
        static String setting = "default";

        private Registered() {}
    }

    public static void report(String file) throws Exception {
        Files.writeString(Path.of(file), String.join("\n",
                String.valueOf(counter), label, String.valueOf(names), String.valueOf(Nested.total),
                String.valueOf(System.getProperty("app.snapshot.flag")), String.valueOf(thread),
                Path.of("").toAbsolutePath().toString(), String.valueOf(System.getenv("PATH"))));
    }

    public static void reportRegistered(String file) throws Exception {
        Files.writeString(Path.of(file), ForkSnapshotTest.Registered.setting);
    }

    @Test
    void shouldCopyStaticFieldsSystemPropertiesAndLeaveOutWhatCannotTravel() throws Exception {
        Context fork = Multiprocessing.getContext(StartMethod.FORK);
        counter = 42;
        label = "changed";
        names = List.of("x", "y");
        Nested.total = 99;
        thread = new Thread(() -> { });
        System.setProperty("app.snapshot.flag", "on");
        try {
            Path f = tmp.resolve("fork");
            MpProcess p = fork.process(ForkSnapshotTest::report, f.toString());
            p.start();
            p.join();
            assertThat(p.exitCode()).isZero();
            assertThat(Files.readAllLines(f)).containsExactly("42", "changed", "[x, y]", "99", "on", "null",
                    Path.of("").toAbsolutePath().toString(), System.getenv("PATH"));
            assertThat(ForkSnapshot.lastLeftOut).containsExactly(ForkSnapshotTest.class.getName() + ".thread");

            Path s = tmp.resolve("spawn");
            MpProcess q = Multiprocessing.getContext(StartMethod.SPAWN).process(ForkSnapshotTest::report, s.toString());
            q.start();
            q.join();
            assertThat(Files.readAllLines(s).subList(0, 5)).containsExactly("1", "initial", "[a]", "10", "null");
        } finally {
            System.clearProperty("app.snapshot.flag");
            thread = null;
        }
    }

    @Test
    void shouldCopyClassesRegisteredWithTheContext() throws Exception {
        Context fork = Multiprocessing.getContext(StartMethod.FORK).registerForSnapshot(Registered.class);
        Registered.setting = "tuned";
        Path f = tmp.resolve("reg");
        MpProcess p = fork.process(ForkSnapshotTest::reportRegistered, f.toString());
        p.start();
        p.join();
        assertThat(Files.readString(f)).isEqualTo("tuned");
    }
}
