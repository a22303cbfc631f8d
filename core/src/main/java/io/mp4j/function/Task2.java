package io.mp4j.function;

import java.io.Serializable;

/**
 * A process target taking 2 argument(s): a serializable method reference or lambda.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 */
@FunctionalInterface
public interface Task2<A, B> extends Serializable {
    /**
     * Runs the task.
     *
     * @param a the first argument
     * @param b the second argument
     * @throws Exception anything: in a child, it is printed and the exit code is 1
     */
    void run(A a, B b) throws Exception;
}
