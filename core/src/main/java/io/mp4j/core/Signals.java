package io.mp4j.core;

import io.mp4j.ipc.Libc;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.TimeUnit;

/**
 * Sends a signal to a process by pid: what {@link ProcessHandle} cannot do beyond SIGTERM and SIGKILL
 * ({@code interrupt()}'s SIGINT). libc's {@code kill} when it links, else the {@code kill} command.
 */
public final class Signals {
    /** SIGINT's number on Linux. */
    public static final int SIGINT = 2;

    private static final class Kill {
        static final MethodHandle KILL = Libc.linkOrNull("kill", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private Signals() {}

    /**
     * Sends {@code signal} to {@code pid}; a process that has ended meanwhile is not an error.
     *
     * @param pid    the process
     * @param signal the signal's number
     */
    public static void send(long pid, int signal) {
        MethodHandle kill = Kill.KILL;
        if (kill != null) {
            try {
                int ignored = (int) kill.invokeExact((int) pid, signal);
                return;
            } catch (Throwable t) {
                // fall back to the command
            }
        }
        try {
            Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot send signal " + signal + " to pid " + pid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
