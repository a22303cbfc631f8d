package io.mp4j.cluster;

import org.apache.ignite.IgniteLogger;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ignite's log for one node, into a {@code java.util.logging} logger whose only handler writes {@code ignite.log}
 * in the node's work directory. Every category Ignite asks for goes to that same logger (Ignite's own
 * {@code JavaLogger} makes a logger per category, whose records reach the console through the root logger).
 * Never quiet: Ignite prints its "quiet" lines on standard output, where the program prints.
 */
final class NodeLog implements IgniteLogger {
    private final Logger jul;
    private final String file;

    NodeLog(Logger jul, String file) {
        this.jul = jul;
        this.file = file;
    }

    @Override public IgniteLogger getLogger(Object ctgr) { return this; }

    @Override public void trace(String msg) { jul.finest(msg); }

    @Override public void debug(String msg) { jul.fine(msg); }

    @Override public void info(String msg) { jul.info(msg); }

    @Override public void warning(String msg, Throwable e) { jul.log(Level.WARNING, msg, e); }

    @Override public void error(String msg, Throwable e) { jul.log(Level.SEVERE, msg, e); }

    @Override public boolean isTraceEnabled() { return jul.isLoggable(Level.FINEST); }

    @Override public boolean isDebugEnabled() { return jul.isLoggable(Level.FINE); }

    @Override public boolean isInfoEnabled() { return jul.isLoggable(Level.INFO); }

    @Override public boolean isQuiet() { return false; }

    @Override public String fileName() { return file; }
}
