package io.mp4j.function;

import java.io.Serializable;

/**
 * A process target taking 4 argument(s): a serializable method reference or lambda.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <C> the third argument's type
 * @param <D> the fourth argument's type
 */
@FunctionalInterface
public interface Task4<A, B, C, D> extends Serializable {
    /**
     * Runs the task.
     *
     * @param a the first argument
     * @param b the second argument
     * @param c the third argument
     * @param d the fourth argument
     * @throws Exception anything: in a child, it is printed and the exit code is 1
     */
    void run(A a, B b, C c, D d) throws Exception;
}
