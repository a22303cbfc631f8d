package io.mp4j.managers;

/**
 * A lock that lives in a manager (Python's {@code manager.Lock()}): not reentrant, and, as Python's
 * {@code threading.Lock}, released by whichever thread of whichever process calls {@link #unlock()}.
 * <pre>{@code
 * LockProxy lock = manager.lock();
 * try (var held = lock.hold()) {
 *     shared.put("n", shared.get("n") + 1);
 * }
 * }</pre>
 * See {@link AcquirerProxy} for interrupts and {@link BaseProxy} for what travels and fails.
 */
public final class LockProxy extends AcquirerProxy {
    LockProxy(Token token) { super(token); }
}
