package io.mp4j.function;

import java.io.Serializable;

/** A process target taking 3 argument(s): a serializable method reference or lambda. */
@FunctionalInterface
public interface Task3<A, B, C> extends Serializable {
    void run(A a, B b, C c) throws Exception;
}
