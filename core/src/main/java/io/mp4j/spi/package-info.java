/**
 * The interfaces through which {@link io.mp4j.Pool} and {@link io.mp4j.ProcessPoolExecutor} reach the machinery
 * that runs their tasks: a <em>back end</em>. The library's own back end runs worker processes on this machine
 * ({@code Context.poolBackends()}); another (a cluster's) implements the same interfaces, and the same
 * {@code Pool} and executor run on it unchanged ({@code Pool.builder().backend(factory)}).
 *
 * <p>The division of work: the API layer ({@code Pool}, the executor) checks its arguments, encodes every item's
 * arguments in the caller's thread (so that what cannot travel fails there, naming the item), and wraps them in a
 * {@link io.mp4j.spi.Job} whose {@link io.mp4j.spi.ResultSink} turns outcomes into futures, lists and iterators.
 * The back end decides where and when each item runs, runs it once (or fails it, naming why), and reports every
 * item of a job exactly once to its sink, unless the job was cancelled first. It starts, replaces and counts
 * workers ({@link io.mp4j.PoolStats}).
 *
 * <p>A back end is made by a {@link io.mp4j.spi.PoolBackendFactory} from a {@link io.mp4j.spi.PoolSpec}. See
 * {@code docs/architecture-pool.md} for the local back end's parts and what a cluster back end must honour.
 */
package io.mp4j.spi;
