package io.mp4j;

import io.mp4j.core.ChildHandle;
import io.mp4j.worker.ProcessExit;

import java.util.concurrent.CompletableFuture;

/**
 * THREAD start method (Python's {@code multiprocessing.dummy}): the target runs on a thread of this JVM,
 * with its arguments passed by reference. {@code terminate()} and {@code kill()} interrupt the thread:
 * a thread cannot be stopped from outside, so a target that ignores interrupts runs to its end; one that
 * ends by an exception after the interrupt reports {@code -15}/{@code -9}, as a signalled process would.
 * {@code interrupt()} interrupts it too, and a target that ends by an exception after it is reported as a
 * process's uncaught exception ({@code Process <name>:}, the trace, exit code 1), as SIGINT's default reaction.
 */
final class ThreadChild implements ChildHandle {
    static final ThreadLocal<MpProcess> CURRENT = new ThreadLocal<>();

    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private final Thread thread;
    /** The signal number asked for by terminate (15) or kill (9), 0 if none. */
    private volatile int signal;

    ThreadChild(MpProcess p) {
        thread = Thread.ofPlatform().name(p.getName()).daemon(p.isDaemon()).unstarted(() -> exit.complete(run(p)));
    }

    @Override public void begin() { thread.start(); }

    private int run(MpProcess p) {
        CURRENT.set(p);
        try {
            p.run();
            return 0;
        } catch (ProcessExit e) {
            return e.code();
        } catch (Throwable t) {
            if (signal != 0 && signal != SIGINT) return -signal; // ended by the interrupt that terminate/kill sent
            synchronized (System.err) {
                System.err.println("Process " + p.getName() + ":");
                t.printStackTrace(System.err);
                System.err.flush();
            }
            return 1;
        } finally {
            CURRENT.remove();
        }
    }

    @Override public long pid() { return ProcessHandle.current().pid(); }

    @Override public CompletableFuture<Integer> onExit() { return exit; }

    @Override public void terminate() { interrupt(15); }

    @Override public void kill() { interrupt(9); }

    @Override public void interrupt() { interrupt(SIGINT); }

    private static final int SIGINT = 2;

    private void interrupt(int sig) {
        if (exit.isDone()) return;
        signal = sig;
        thread.interrupt();
    }
}
