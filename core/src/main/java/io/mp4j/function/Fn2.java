package io.mp4j.function;

import java.io.Serializable;

/** A two-argument function run in another process ({@code starmap}): a serializable lambda. */
@FunctionalInterface
public interface Fn2<A, B, R> extends Serializable {
    R apply(A a, B b) throws Exception;
}
