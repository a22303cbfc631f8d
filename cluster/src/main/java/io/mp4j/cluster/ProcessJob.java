package io.mp4j.cluster;

import io.mp4j.worker.task.FunctionRef;
import org.apache.ignite.lang.IgniteCallable;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A cluster process as Ignite's compute sends it to one node (never again elsewhere: processes run with failover
 * off): its name and its target and arguments in the library's encoding. Returns the exit code: 0, or 1 after an
 * uncaught exception, which it prints on the node's standard error as a local child does ({@code Process <name>:}
 * and the trace). A target that fails because it was terminated (interrupted) or because its context closed and removed
 * the objects it waits on (a daemon process at the program's end) ends quietly with -15.
 */
final class ProcessJob implements IgniteCallable<Integer> {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final byte[] target;

    ProcessJob(String name, byte[] target) {
        this.name = name;
        this.target = target;
    }

    private static boolean ended(Throwable t) {
        if (Thread.currentThread().isInterrupted()) return true;
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof InterruptedException || c instanceof org.apache.ignite.IgniteInterruptedException) return true;
            String m = c.getMessage();
            if (c instanceof IllegalStateException && m != null && (m.contains("has been removed") || m.contains("no longer exists"))) return true;
        }
        return false;
    }

    @Override public Integer call() {
        try {
            ClassLoader loader = NodeTasks.loader();
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(target));
            FunctionRef f = FunctionRef.read(in, loader);
            f.invoke(f.readArgs(in, loader));
            System.out.flush();
            return 0;
        } catch (Throwable t) {
            if (ended(t)) return -15;
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            System.out.flush();
            System.err.print("Process " + name + ":\n" + w);
            System.err.flush();
            return 1;
        }
    }
}
