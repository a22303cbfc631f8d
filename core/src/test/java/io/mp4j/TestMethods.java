package io.mp4j;

import java.util.Arrays;
import java.util.List;

/** The start methods the pool tests run under: all four, or those named in -Dmp4j.test.methods=spawn,thread. */
final class TestMethods {
    private TestMethods() {}

    static List<StartMethod> list() {
        String p = System.getProperty("mp4j.test.methods", "");
        if (p.isBlank()) return List.of(StartMethod.SPAWN, StartMethod.THREAD, StartMethod.FORK, StartMethod.FORKSERVER);
        return Arrays.stream(p.split(",")).map(StartMethod::parse).toList();
    }
}
