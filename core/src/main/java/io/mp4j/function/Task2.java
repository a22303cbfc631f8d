package io.mp4j.function;

import java.io.Serializable;

/** A process target taking 2 argument(s): a serializable method reference or lambda. */
@FunctionalInterface
public interface Task2<A, B> extends Serializable {
    void run(A a, B b) throws Exception;
}
