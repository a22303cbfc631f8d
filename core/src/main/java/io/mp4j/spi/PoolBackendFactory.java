package io.mp4j.spi;

/**
 * Makes a pool's back end. A local context gives one for its start method ({@code Context.poolBackends()});
 * a cluster gives its own. {@code Pool.builder().backend(factory)} picks one.
 */
@FunctionalInterface
public interface PoolBackendFactory {
    /**
     * A back end for {@code spec}, accepting work at once. Workers start now ({@code spec.startOnDemand()} false)
     * or at the first task that finds none idle; this call does not wait for them.
     *
     * @param spec what the user set, checked
     * @return the back end, running
     * @throws IllegalArgumentException when the back end cannot honour the spec (the message names the setting)
     */
    PoolBackend open(PoolSpec spec);
}
