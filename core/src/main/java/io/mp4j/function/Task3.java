package io.mp4j.function;

import java.io.Serializable;

/**
 * A process target taking 3 argument(s): a serializable method reference or lambda.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <C> the third argument's type
 */
@FunctionalInterface
public interface Task3<A, B, C> extends Serializable {
    /**
     * Runs the task.
     *
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @throws Exception anything: in a child, it is printed and the exit code is 1
     */
    void run(A a, B b, C c) throws Exception;
}
