package io.mp4j.core.pool;

import io.mp4j.StartMethod;

/**
 * How many of a pool's worker JVMs start at once. Under SPAWN, one per two cores (at least one; the system property
 * {@value #PROPERTY} sets another number): a JVM's start keeps more than one core busy (its compiler threads beside
 * its main thread), so JVMs started in turn each come up sooner, and the first worker takes tasks that much earlier.
 * When more tasks wait than the workers already starting or up can take one each, the rest start at once too (a map
 * submitted to a new pool starts all its workers). Under the other start methods no limit: a FORK or FORKSERVER
 * worker is a warm JVM handed its task, a THREAD worker a thread.
 */
public final class StartThrottle {
    /** System property: how many worker JVMs a SPAWN pool starts at once (default: one per two cores). */
    public static final String PROPERTY = "mp4j.pool.startingJvms";

    private final int limit;

    StartThrottle(StartMethod method, int cores) { this.limit = limit(method, cores); }

    /**
     * The limit for {@code method} on {@code cores} cores, reading {@value #PROPERTY}.
     *
     * @param method the workers' start method
     * @param cores the machine's cores
     * @return how many JVMs may start at once ({@code Integer.MAX_VALUE}: no limit)
     * @throws IllegalArgumentException when {@value #PROPERTY} is set to other than a positive whole number
     */
    public static int limit(StartMethod method, int cores) {
        if (method != StartMethod.SPAWN) return Integer.MAX_VALUE;
        String set = System.getProperty(PROPERTY);
        if (set != null && !set.isBlank()) {
            try {
                int n = Integer.parseInt(set.strip());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // refused below
            }
            throw new IllegalArgumentException(PROPERTY + " must be a positive whole number: " + set);
        }
        return Math.max(1, cores / 2);
    }

    /**
     * Whether one more waiting worker may start now, with {@code starting} workers starting, {@code startedOrUp}
     * starting or ready, and {@code waitingTasks} tasks that no worker has claimed.
     */
    boolean mayStart(int starting, int startedOrUp, long waitingTasks) {
        return starting < limit || waitingTasks > startedOrUp;
    }
}
