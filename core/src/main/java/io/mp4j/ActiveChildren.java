package io.mp4j;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The processes started by this JVM and not yet seen to have ended (Python's {@code _children}). */
final class ActiveChildren {
    private static final Set<MpProcess> STARTED = ConcurrentHashMap.newKeySet();

    private ActiveChildren() {}

    static void add(MpProcess p) { STARTED.add(p); }

    static List<MpProcess> list() {
        STARTED.removeIf(p -> !p.running());
        return List.copyOf(STARTED);
    }
}
