package io.mp4j.examples;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a runnable example: {@code bin/mp4j example NAME} runs the annotated class's {@code main}, and the
 * cross-mode test runs it under every start method, comparing its output with
 * {@code src/test/resources/expected/NAME.txt}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Example {
    /** The name on the command line, in kebab case ({@code square-cube}). */
    String name();

    /** One line saying what it shows. */
    String description();

    /**
     * Whether the cross-mode test runs it under every start method; false for an example whose output does not
     * depend on one (the cluster example: its work runs on cluster nodes, and each run starts a cluster).
     */
    boolean everyStartMethod() default true;
}
