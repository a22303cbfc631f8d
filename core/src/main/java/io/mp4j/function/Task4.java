package io.mp4j.function;

import java.io.Serializable;

/** A process target taking 4 argument(s): a serializable method reference or lambda. */
@FunctionalInterface
public interface Task4<A, B, C, D> extends Serializable {
    void run(A a, B b, C c, D d) throws Exception;
}
