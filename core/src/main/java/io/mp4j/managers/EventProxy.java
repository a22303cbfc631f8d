package io.mp4j.managers;

import io.mp4j.managers.SyncServants.Event;
import io.mp4j.ipc.wire.WireBuffer;

import java.util.concurrent.TimeUnit;

/**
 * An event that lives in a manager (Python's {@code manager.Event()}): a flag that {@link #set()} raises and
 * {@link #clear()} lowers, and that {@link #await()} waits for. An interrupted wait throws
 * {@link InterruptedException} within {@value Server#SLICE_MILLIS} ms.
 */
public final class EventProxy extends BaseProxy {
    EventProxy(Token token) { super(token); }

    /**
     * Whether the flag is raised now.
     *
     * @return whether the event is set
     */
    public boolean isSet() { return client().call(id(), Event.IS_SET, ManagerClient.Args.NONE, WireBuffer::readBoolean); }

    /** Raises the flag, waking every waiter. */
    public void set() { client().call(id(), Event.SET, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /** Lowers the flag. */
    public void clear() { client().call(id(), Event.CLEAR, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /**
     * Python's {@code wait()}: until the flag is raised.
     *
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public void await() throws InterruptedException {
        client().callInterruptibly(id(), Event.WAIT, out -> out.writeLong(Wire.FOREVER), WireBuffer::readBoolean);
    }

    /**
     * Python's {@code wait(timeout)}: whether the flag was raised within the time.
     *
     * @param timeout the longest wait, in {@code unit}
     * @param unit the unit of the time
     * @return whether the event was set before the time was up
     * @throws InterruptedException when the thread is interrupted while waiting
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = Wire.nanos(timeout, unit);
        return nanos == 0 ? isSet() : client().callInterruptibly(id(), Event.WAIT, out -> out.writeLong(nanos), WireBuffer::readBoolean);
    }

    @Override public String toString() { return "<EventProxy(" + (isSet() ? "set" : "unset") + ")>"; }
}
