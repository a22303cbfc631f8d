package io.mp4j.function;

import java.io.Serializable;

/** A process target taking 1 argument(s): a serializable method reference or lambda. */
@FunctionalInterface
public interface Task1<A> extends Serializable {
    void run(A a) throws Exception;
}
