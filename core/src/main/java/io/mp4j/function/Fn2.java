package io.mp4j.function;

import java.io.Serializable;

/**
 * A two-argument function run in another process ({@code starmap}): a serializable lambda.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result's type
 */
@FunctionalInterface
public interface Fn2<A, B, R> extends Serializable {
    /**
     * Computes the result.
     *
     * @param a the first argument
     * @param b the second argument
     * @return the result
     * @throws Exception anything: in a pool, it becomes the cause of the caller's {@code ExecutionException}
     */
    R apply(A a, B b) throws Exception;
}
