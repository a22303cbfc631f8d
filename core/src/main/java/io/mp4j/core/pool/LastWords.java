package io.mp4j.core.pool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why a worker ended, as the pool says it: the worker's last words (the exception it ended with, which
 * {@code WorkerLoop} leaves in {@code base + ".died"}; its standard error may be anywhere), and the log line of a
 * worker that is replaced.
 */
final class LastWords {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPool.class);

    private LastWords() {}

    /**
     * What the worker left in {@code base.died} before it ended, as ": ..." to append to a message, and the file
     * removed; when it left nothing and exited with 1 before it connected, where to look; else "".
     */
    static String read(Path base, Integer code, boolean connected) {
        if (base != null) {
            Path note = Path.of(base + ".died");
            try {
                String words = Files.readString(note).strip();
                Files.deleteIfExists(note);
                if (!words.isEmpty()) return ": " + words;
            } catch (IOException | RuntimeException e) {
                // it left nothing
            }
        }
        return !connected && code != null && code == 1 ? " (its standard error says why: the JVM could not start it, or it could not read its task)" : "";
    }

    /**
     * Logs a worker's end: at WARN when the pool did not ask for it (it died, or ended itself after an Error in a
     * task or an ignored timeout), at DEBUG when it stopped as told (the pool closing, its limits).
     */
    static void log(String message, boolean unasked, boolean replacing) {
        String next = replacing ? "; a new worker replaces it" : "";
        if (unasked) LOG.warn("pool {}{}", message, next);
        else if (LOG.isDebugEnabled()) LOG.debug("pool {}{}", message, next);
    }
}
