package io.mp4j.core;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * FORK (fork-like): the parent keeps {@code standby} warm JVMs ready, started ahead of need with the
 * class path loaded and their read/decode/invoke path exercised ({@code ChildMain --warm}). {@code start()}
 * hands the oldest one its launch message (the task plus the parent's snapshot) and a replacement is
 * started in the background. Standby JVMs are this JVM's children: they exit when it dies.
 *
 * <p>When every standby is taken the next process gets the one still warming up, or a new JVM.
 */
public final class ForkLauncher implements Launcher {
    /** The system property setting how many warm JVMs are kept ready (default 2). */
    public static final String STANDBY_PROPERTY = "mp4j.fork.standby";

    private final List<String> jvmOptions;
    private final int standby;
    private final Deque<JvmChild> ready = new ArrayDeque<>();
    private final ExecutorService refill = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mp4j-fork-standby");
        t.setDaemon(true);
        return t;
    });
    private boolean shutdown;

    public ForkLauncher(List<String> jvmOptions) {
        this.jvmOptions = jvmOptions;
        this.standby = Math.max(0, Integer.getInteger(STANDBY_PROPERTY, 2));
        for (int i = 0; i < standby; i++) refill.execute(this::addStandby);
    }

    private void addStandby() {
        try {
            JvmChild c = startWarm();
            synchronized (this) {
                if (shutdown) {
                    c.release();
                    return;
                }
                ready.addLast(c);
            }
        } catch (IOException e) {
            // a failed standby start is retried by the next launch, which then starts a JVM itself
        }
    }

    private JvmChild startWarm() throws IOException {
        return new JvmChild(SpawnLauncher.builder(jvmOptions, "--warm").start());
    }

    @Override
    public ChildHandle launch(byte[] frame, String processName) throws Exception {
        JvmChild c;
        synchronized (this) {
            c = ready.pollFirst();
            while (c != null && c.onExit().isDone()) c = ready.pollFirst();
        }
        if (c == null) c = startWarm();
        refill.execute(this::addStandby);
        c.send(frame);
        return c;
    }

    /** The pids of the standby JVMs (for tests and memory reports). */
    public synchronized List<Long> standbyPids() {
        return ready.stream().map(JvmChild::pid).toList();
    }

    @Override
    public void shutdown() {
        List<JvmChild> left;
        synchronized (this) {
            shutdown = true;
            left = List.copyOf(ready);
            ready.clear();
        }
        refill.shutdownNow();
        for (JvmChild c : left) c.release();
    }
}
