package io.mp4j;

import java.util.Arrays;
import java.util.List;

/**
 * The start methods the pool tests run under: spawn and thread by default (the suite's time budget), all
 * four with {@code -Dmp4j.test.methods=all}, or those named ({@code -Dmp4j.test.methods=fork,forkserver}).
 */
final class TestMethods {
    private TestMethods() {}

    static List<StartMethod> list() {
        String p = System.getProperty("mp4j.test.methods", "");
        if (p.isBlank()) return List.of(StartMethod.SPAWN, StartMethod.THREAD);
        if (p.equals("all")) return List.of(StartMethod.SPAWN, StartMethod.THREAD, StartMethod.FORK, StartMethod.FORKSERVER);
        return Arrays.stream(p.split(",")).map(StartMethod::parse).toList();
    }
}
