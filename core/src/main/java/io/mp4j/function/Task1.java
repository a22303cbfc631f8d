package io.mp4j.function;

import java.io.Serializable;

/**
 * A process target taking 1 argument(s): a serializable method reference or lambda.
 *
 * @param <A> the argument's type
 */
@FunctionalInterface
public interface Task1<A> extends Serializable {
    /**
     * Runs the task.
     *
     * @param a the argument
     * @throws Exception anything: in a child, it is printed and the exit code is 1
     */
    void run(A a) throws Exception;
}
