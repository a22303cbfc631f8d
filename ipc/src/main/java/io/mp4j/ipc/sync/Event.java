package io.mp4j.ipc.sync;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.mp4j.ipc.codec.Shareable;
import io.mp4j.ipc.shm.Segment;
import io.mp4j.ipc.shm.SegmentDescriptor;
import io.mp4j.ipc.shm.Segments;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Python's {@code multiprocessing.Event}: a flag shared by processes; {@link #await()} waits until it is set.
 * Python's {@code wait()} is {@code await()} here ({@code Object.wait} is taken).
 *
 * <pre>
 *   base+0  flag      int   futex word: 0 clear, 1 set
 *   base+4  sleepers  int
 * </pre>
 *
 * <pre>{@code
 * Event ready = ctx.event();
 * // in a child:  ready.await(); ...       in the parent:  ready.set();
 * }</pre>
 *
 * <p>Interrupts: both {@code await} forms throw {@link InterruptedException} if the thread is interrupted on
 * entry or while waiting. Visibility across JVMs: writes before {@link #set()} are visible to a process after
 * its {@code await} returns true. Travels as a handle.
 */
public final class Event extends SharedWords implements Shareable, io.mp4j.shared.MpEvent {
    static {
        // travels without Jackson as a top-level argument or message (see Codec#registerHandle)
        io.mp4j.ipc.codec.Codec.registerHandle(Event.class, Event.Handle.class, Event::handle, Event::attach);
    }

    static final long FLAG = 0, SLEEPERS = 4, LENGTH = 8;

    /**
     * What travels: the segment file and the offset of the event's words.
     *
     * @param path the segment file
     * @param offset the event's words in it
     */
    public record Handle(String path, long offset) {}

    private final WaitStrategy ws = new WaitStrategy();

    private Event(Segment segment, long offset) { super(segment, offset); }

    /**
     * A new, clear event in its own segment in {@code dir}.
     *
     * @param dir the directory the segment file goes into
     * @return the new event
     */
    public static Event create(Path dir) {
        linkAhead();
        return new Event(Segments.create(dir, "event", SegmentDescriptor.KIND_SYNC, LENGTH), SegmentDescriptor.HEADER_LENGTH);
    }

    /**
     * Re-attaches an event from its handle, in the process that received it.
     *
     * @param h the handle that travelled
     * @return the same event
     * @throws IllegalArgumentException if the segment is missing or of an incompatible version
     */
    @JsonCreator
    public static Event attach(Handle h) {
        linkAhead();
        return new Event(Segments.attach(h.path()), h.offset());
    }

    /**
     * The handle this event travels as.
     *
     * @return the handle
     */
    @JsonValue
    public Handle handle() { return new Handle(segment.path().toString(), base); }

    /**
     * Python's {@code is_set()}.
     *
     * @return whether the flag is set
     */
    public boolean isSet() { return getInt(FLAG) != 0; }

    /** Sets the flag and wakes every waiter. */
    public void set() {
        setInt(FLAG, 1);
        WaitStrategy.wake(m, base + FLAG, base + SLEEPERS, Integer.MAX_VALUE);
    }

    /** Clears the flag. */
    public void clear() { setInt(FLAG, 0); }

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void await() throws InterruptedException {
        ws.await(m, base + FLAG, base + SLEEPERS, v -> v != 0, -1);
    }

    /**
     * Python's {@code wait(timeout)}: waits at most the time; returns whether the flag is set.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return whether the flag is set
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return ws.await(m, base + FLAG, base + SLEEPERS, v -> v != 0, nanos(timeout, unit));
    }

    @Override
    public String toString() { return "<Event(" + (isSet() ? "set" : "unset") + ")>"; }
}
