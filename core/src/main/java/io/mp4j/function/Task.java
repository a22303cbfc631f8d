package io.mp4j.function;

import java.io.Serializable;

/** A process target taking no argument: a serializable method reference or lambda. */
@FunctionalInterface
public interface Task extends Serializable {
    /**
     * Runs the task.
     *
     * @throws Exception anything: in a child, it is printed and the exit code is 1
     */
    void run() throws Exception;
}
