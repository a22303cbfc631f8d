package io.mp4j.ipc.codec;

/**
 * An object that travels between processes as a small handle and re-attaches on the other side
 * (a shared Value, a Lock, a Queue, a Connection end...).
 *
 * <p>An implementation exposes its handle with Jackson's {@code @JsonValue} and re-attaches with a
 * delegating {@code @JsonCreator} static factory taking that handle. Implementing this marker also lets
 * the codec accept the class name on the wire when the declared type is an interface such as
 * {@link java.util.concurrent.locks.Lock}: a {@code Shareable} never carries user state, only a handle.
 */
public interface Shareable {
}
