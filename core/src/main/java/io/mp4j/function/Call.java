package io.mp4j.function;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A serializable {@link Callable}, for tasks submitted to a process pool executor.
 *
 * @param <R> the result's type
 */
@FunctionalInterface
public interface Call<R> extends Callable<R>, Serializable {
}
