package io.mp4j.function;

import java.io.Serializable;

/**
 * A function run in another process (pool tasks): a serializable method reference or lambda.
 *
 * @param <T> the argument's type
 * @param <R> the result's type
 */
@FunctionalInterface
public interface Fn<T, R> extends Serializable {
    /**
     * Computes the result.
     *
     * @param t the argument
     * @return the result
     * @throws Exception anything: in a pool, it becomes the cause of the caller's {@code ExecutionException}
     */
    R apply(T t) throws Exception;
}
