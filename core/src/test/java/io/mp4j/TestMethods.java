package io.mp4j;

import java.util.Arrays;
import java.util.List;

/**
 * The start methods the pool tests run under: all four by default (or with {@code -Dmp4j.test.methods=all}),
 * or those named ({@code -Dmp4j.test.methods=spawn,thread}) when working on one of them.
 */
final class TestMethods {
    private TestMethods() {}

    static List<StartMethod> list() {
        String p = System.getProperty("mp4j.test.methods", "");
        if (p.isBlank() || p.equals("all")) return List.of(StartMethod.SPAWN, StartMethod.THREAD, StartMethod.FORK, StartMethod.FORKSERVER);
        return Arrays.stream(p.split(",")).map(StartMethod::parse).toList();
    }

    /**
     * For behaviour that travels the same way whichever way a child JVM starts (the parent's side of the API, the
     * worker loop, what goes through a started child's pipes): SPAWN and THREAD by default, as the methods' other
     * tests cover what differs (starts, kills, replacements, exits); with {@code -Dmp4j.test.methods}, those named.
     */
    static List<StartMethod> independentOfTheJvmStart() {
        String p = System.getProperty("mp4j.test.methods", "");
        if (p.isBlank() || p.equals("all")) return List.of(StartMethod.SPAWN, StartMethod.THREAD);
        return list();
    }
}
