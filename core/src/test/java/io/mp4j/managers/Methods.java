package io.mp4j.managers;

import io.mp4j.StartMethod;

import java.util.Arrays;
import java.util.List;

/** The start methods the manager tests run under: all four, or those named in {@code -Dmp4j.test.methods=spawn,thread}. */
final class Methods {
    private Methods() {}

    static List<StartMethod> all() {
        String p = System.getProperty("mp4j.test.methods", "");
        if (p.isBlank() || p.equals("all")) return List.of(StartMethod.SPAWN, StartMethod.THREAD, StartMethod.FORK, StartMethod.FORKSERVER);
        return Arrays.stream(p.split(",")).map(StartMethod::parse).toList();
    }

    /** Those whose children are JVMs (a manager's server is a process there). */
    static List<StartMethod> processes() { return all().stream().filter(StartMethod::isProcess).toList(); }
}
