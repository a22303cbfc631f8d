package io.mp4j.spi;

import java.lang.reflect.Type;

/**
 * A function as a pool sends it: a serializable lambda or method reference reduced to the method it calls and
 * the values it captured, encoded once per pool. A back end sends {@link #encoded()} to a worker once and names
 * the function by {@link #id()} afterwards; the worker decodes it with the library's codec on the same class path.
 */
public interface TaskFunction {
    /** {@return the function's number, unique within its pool} */
    int id();

    /** {@return the encoded function (do not modify the array)} */
    byte[] encoded();

    /** {@return the type results are decoded against ({@code Object} for a function returning nothing)} */
    Type returnType();

    /** {@return the method it calls, for messages: {@code com.example.Tasks.square(Integer)}} */
    String describe();
}
