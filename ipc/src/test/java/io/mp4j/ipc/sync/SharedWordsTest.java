package io.mp4j.ipc.sync;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class SharedWordsTest {
    /**
     * SharedWords loads all its subclasses with itself, so that the JIT never compiles its methods for a single
     * subclass and then throws them away when another is first loaded: the list must hold every one there is.
     */
    @Test
    void shouldListEverySubclassOfSharedWords() throws Exception {
        Set<Class<?>> found = new HashSet<>();
        ClassLoader loader = SharedWords.class.getClassLoader();
        for (String name : classNamesOfThisPackage()) {
            Class<?> c = Class.forName(name, false, loader);
            if (c != SharedWords.class && SharedWords.class.isAssignableFrom(c)) found.add(c);
        }
        assertThat(found).isNotEmpty();
        assertThat(new HashSet<Class<?>>(SharedWords.SUBCLASSES)).isEqualTo(found);
    }

    private static List<String> classNamesOfThisPackage() throws URISyntaxException, java.io.IOException {
        Path dir = Path.of(SharedWords.class.getResource("SharedWords.class").toURI()).getParent();
        String pkg = SharedWords.class.getPackageName();
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".class"))
                    .map(f -> pkg + "." + f.substring(0, f.length() - ".class".length())).toList();
        }
    }
}
