package io.mp4j.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

class TestJarsTest {
    @Test
    void shouldJarADirectoryWithTheSameContentAndKeepTheJarWhileTheDirectoryIsUnchanged(@TempDir Path tmp) throws Exception {
        Path classes = Files.createDirectories(tmp.resolve("mod/target/classes/io/x"));
        Files.writeString(classes.resolve("A.class"), "a");
        Files.writeString(classes.resolve("B.txt"), "b");
        Path jars = Files.createDirectories(tmp.resolve("jars"));

        Path jar = TestJars.jar(tmp.resolve("mod/target/classes"), jars);
        assertThat(jar.getFileName().toString()).isEqualTo("mod-classes.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(new String(j.getInputStream(j.getEntry("io/x/A.class")).readAllBytes())).isEqualTo("a");
            assertThat(new String(j.getInputStream(j.getEntry("io/x/B.txt")).readAllBytes())).isEqualTo("b");
        }
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(jar, written);
        assertThat(TestJars.jar(tmp.resolve("mod/target/classes"), jars)).isEqualTo(jar);
        assertThat(Files.getLastModifiedTime(jar)).as("an unchanged directory's jar is kept (its cache stays valid)").isEqualTo(written);

        Files.writeString(classes.resolve("A.class"), "a2");
        TestJars.jar(tmp.resolve("mod/target/classes"), jars);
        assertThat(Files.getLastModifiedTime(jar)).as("a changed directory's jar is written again").isNotEqualTo(written);
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(new String(j.getInputStream(j.getEntry("io/x/A.class")).readAllBytes())).isEqualTo("a2");
        }
    }
}
