package io.mp4j.managers;

import io.mp4j.managers.SyncServants.Owned;
import io.mp4j.ipc.wire.WireBuffer;

/**
 * A reentrant lock that lives in a manager (Python's {@code manager.RLock()}): held by one thread of one process
 * (the thread that took it, wherever its calls travel), which may take it again and must release it as many
 * times. See {@link AcquirerProxy} for interrupts and {@link BaseProxy} for what travels and fails.
 */
public final class RLockProxy extends AcquirerProxy {
    RLockProxy(Token token) { super(token); }

    /**
     * Whether the calling thread holds it.
     *
     * @return whether the current thread holds the lock
     */
    public boolean isHeldByCurrentThread() { return getHoldCount() > 0; }

    /**
     * How many times the calling thread holds it (0: not at all).
     *
     * @return how many times the current thread holds the lock
     */
    public int getHoldCount() { return client().call(id(), Owned.HOLD_COUNT, AcquirerProxy::writeCaller, WireBuffer::readInt); }
}
