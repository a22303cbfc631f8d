package io.mp4j.function;

import java.io.Serializable;

/** A function run in another process (pool tasks): a serializable method reference or lambda. */
@FunctionalInterface
public interface Fn<T, R> extends Serializable {
    R apply(T t) throws Exception;
}
