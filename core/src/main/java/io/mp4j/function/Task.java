package io.mp4j.function;

import java.io.Serializable;

/** A process target taking no argument: a serializable method reference or lambda. */
@FunctionalInterface
public interface Task extends Serializable {
    void run() throws Exception;
}
