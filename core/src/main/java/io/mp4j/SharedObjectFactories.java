package io.mp4j;

import io.mp4j.function.Task;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The layer of {@link Context} that makes shared memory and synchronization primitives: values and arrays,
 * {@code SharedMemory} blocks and shareable lists, locks, semaphores, events, conditions and barriers. Each lives in a
 * segment of the context's private directory and travels to a child of any start method as an argument.
 */
abstract sealed class SharedObjectFactories extends ContextBase permits ChannelFactories {
    SharedObjectFactories(StartMethod method, byte[] authkey) { super(method, authkey); }


    /**
     * Python's {@code Value(typecode, initial, lock=True)}: a shared number with a new RLock.
     * Type codes: {@code b B h H i I l L q Q f d c ?} (see {@link io.mp4j.ipc.shm.TypeCode}).
     *
     * @param typecode a Python type code
     * @param initial the initial value (a number, a boolean, or a {@code char} for 'c')
     * @return the shared value
     * @throws IllegalArgumentException for an unknown type code or a value out of its range
     */
    public io.mp4j.ipc.shm.Value value(char typecode, Object initial) { return value(typecode, initial, true); }

    /**
     * Python's {@code Value(typecode, initial, lock)}: {@code lock} is true (a new RLock), false (no lock),
     * or an existing {@link io.mp4j.ipc.sync.Lock} or {@link io.mp4j.ipc.sync.RLock}.
     *
     * @param typecode a Python type code
     * @param initial the initial value
     * @param lock true, false, or a lock
     * @return the shared value
     * @throws IllegalArgumentException for an unknown type code, a value out of its range, or another kind of lock
     */
    public io.mp4j.ipc.shm.Value value(char typecode, Object initial, Object lock) {
        return stamp(io.mp4j.ipc.shm.Value.create(resourceDir(), typecode, initial, lock));
    }

    /**
     * A shared {@code int} ('i') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value intValue(int initial) { return value('i', initial); }

    /**
     * A shared {@code long} ('q') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value longValue(long initial) { return value('q', initial); }

    /**
     * A shared {@code double} ('d') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value doubleValue(double initial) { return value('d', initial); }

    /**
     * A shared {@code boolean} ('?') with a new RLock.
     *
     * @param initial the initial value
     * @return the shared value
     */
    public io.mp4j.ipc.shm.Value booleanValue(boolean initial) { return value('?', initial); }

    /**
     * Python's {@code Array(typecode, size_or_initializer, lock=True)}: {@code sizeOrInitial} is a length or
     * the initial elements (a primitive array or a collection).
     *
     * @param typecode a Python type code
     * @param sizeOrInitial the length, or the initial elements
     * @return the shared array
     * @throws IllegalArgumentException for an unknown type code, a negative length or an element out of range
     */
    public io.mp4j.ipc.shm.Array array(char typecode, Object sizeOrInitial) { return array(typecode, sizeOrInitial, true); }

    /**
     * Python's {@code Array(typecode, size_or_initializer, lock)}; {@code lock} as for {@link #value(char, Object, Object)}.
     *
     * @param typecode a Python type code
     * @param sizeOrInitial the length, or the initial elements
     * @param lock true, false, or a lock
     * @return the shared array
     * @throws IllegalArgumentException for an unknown type code, a negative length, an element out of range or another kind of lock
     */
    public io.mp4j.ipc.shm.Array array(char typecode, Object sizeOrInitial, Object lock) {
        return stamp(io.mp4j.ipc.shm.Array.create(resourceDir(), typecode, sizeOrInitial, lock));
    }

    /**
     * A shared {@code int[]} ('i') with a new RLock.
     *
     * @param initial the initial elements
     * @return the shared array
     */
    public io.mp4j.ipc.shm.Array intArray(int... initial) { return array('i', initial); }

    /**
     * A shared {@code long[]} ('q') with a new RLock.
     *
     * @param initial the initial elements
     * @return the shared array
     */
    public io.mp4j.ipc.shm.Array longArray(long... initial) { return array('q', initial); }

    /**
     * A shared {@code double[]} ('d') with a new RLock.
     *
     * @param initial the initial elements
     * @return the shared array
     */
    public io.mp4j.ipc.shm.Array doubleArray(double... initial) { return array('d', initial); }

    /**
     * Python's {@code shared_memory.SharedMemory(name, create, size)}: {@link #sharedMemory(String, boolean, long, boolean)}
     * with {@code track} true.
     *
     * @param name the block's name; null with {@code create}: a fresh name
     * @param create whether to create it (else attach to an existing one)
     * @param size its size in bytes when created
     * @return the shared memory block
     * @throws NoSuchFileException when attaching ({@code create} false) to a name that no block has
     */
    public io.mp4j.ipc.shm.SharedMemory sharedMemory(String name, boolean create, long size) throws NoSuchFileException {
        return sharedMemory(name, create, size, true);
    }

    /**
     * Python's {@code shared_memory.SharedMemory(name, create, size, track=track)}. A tracked block is created in
     * this context's directory and removed with it when the context ends (whoever forgot to unlink it); an
     * untracked one stays, found by its name by every process of this user, until some process unlinks it.
     * Looked up by name in this context's directory, then the parent's context directory (in a child), then this
     * JVM's other contexts, then the untracked blocks.
     *
     * @param name the block's name; null with {@code create}: a fresh name
     * @param create whether to create it (else attach to an existing one)
     * @param size its size in bytes when created
     * @param track whether the block goes with this context (Python's default) or stays until unlinked
     * @return the shared memory block
     * @throws NoSuchFileException when attaching ({@code create} false) to a name that no block has (Python's
     *         {@code FileNotFoundError})
     * @throws IllegalArgumentException when creating a name that exists, or a size that is not positive
     */
    public io.mp4j.ipc.shm.SharedMemory sharedMemory(String name, boolean create, long size, boolean track) throws NoSuchFileException {
        String parentDir = io.mp4j.worker.ChildRuntime.contextDir();
        List<Path> search = new ArrayList<>();
        if ((create && track) || existingResourceDir() != null) search.add(resourceDir());
        if (parentDir != null) search.add(Paths.get(parentDir));
        for (StartMethod m : StartMethod.values()) { // THREAD children share the JVM's other contexts
            String d = Multiprocessing.getContext(m).existingResourceDir();
            if (d != null) search.add(Paths.get(d));
        }
        return stamp(io.mp4j.ipc.shm.SharedMemory.open(create && track ? resourceDir() : null, search, name, create, size, track));
    }

    /**
     * Python's {@code shared_memory.ShareableList(values)}: a fixed-length list of numbers, booleans, strings, byte
     * arrays and nulls in a new tracked block of this context, with a fresh name ({@code sl.shm().name()}).
     *
     * @param values the items, in order
     * @return the new list, as long as {@code values}
     * @throws IllegalArgumentException for a value a shareable list cannot hold, naming its index and type
     */
    public io.mp4j.ipc.shm.ShareableList shareableList(List<?> values) { return shareableList(null, values); }

    /**
     * Python's {@code shared_memory.ShareableList(values, name=name)}: as {@link #shareableList(List)}, in a block
     * named {@code name} ({@code null}: a fresh name).
     *
     * @param name the block's name, or null
     * @param values the items, in order
     * @return the new list, as long as {@code values}
     * @throws IllegalArgumentException for a value a shareable list cannot hold, or a name that exists
     */
    public io.mp4j.ipc.shm.ShareableList shareableList(String name, List<?> values) {
        return stamp(io.mp4j.ipc.shm.ShareableList.create(resourceDir(), name, values));
    }

    /**
     * Python's {@code shared_memory.ShareableList(name=name)}: the list in the block named {@code name}, looked up as
     * {@link #sharedMemory(String, boolean, long, boolean)} does.
     *
     * @param name the block's name
     * @return the list the block holds
     * @throws NoSuchFileException when no block has the name
     * @throws IllegalArgumentException when the block holds no shareable list
     */
    public io.mp4j.ipc.shm.ShareableList shareableList(String name) throws NoSuchFileException {
        Objects.requireNonNull(name, "name");
        return stamp(io.mp4j.ipc.shm.ShareableList.of(sharedMemory(name, false, 0)));
    }

    /**
     * Python's {@code Lock()}: a non-reentrant lock shared by processes.
     *
     * @return a new lock, free
     */
    public io.mp4j.ipc.sync.Lock lock() { return stamp(io.mp4j.ipc.sync.Lock.create(resourceDir())); }

    /**
     * Python's {@code RLock()}: a reentrant lock shared by processes.
     *
     * @return a new reentrant lock, free
     */
    public io.mp4j.ipc.sync.RLock rlock() { return stamp(io.mp4j.ipc.sync.RLock.create(resourceDir())); }

    /**
     * Python's {@code Semaphore(value)}.
     *
     * @param value the initial number of permits
     * @return a new semaphore
     */
    public io.mp4j.ipc.sync.Semaphore semaphore(int value) { return stamp(io.mp4j.ipc.sync.Semaphore.create(resourceDir(), value)); }

    /**
     * Python's {@code Semaphore()}: one permit.
     *
     * @return a new semaphore with one permit
     */
    public io.mp4j.ipc.sync.Semaphore semaphore() { return semaphore(1); }

    /**
     * Python's {@code BoundedSemaphore(value)}.
     *
     * @param value the initial and largest number of permits
     * @return a new bounded semaphore
     */
    public io.mp4j.ipc.sync.BoundedSemaphore boundedSemaphore(int value) {
        return stamp(io.mp4j.ipc.sync.BoundedSemaphore.create(resourceDir(), value));
    }

    /**
     * Python's {@code BoundedSemaphore()}: one permit.
     *
     * @return a new bounded semaphore with one permit
     */
    public io.mp4j.ipc.sync.BoundedSemaphore boundedSemaphore() { return boundedSemaphore(1); }

    /**
     * Python's {@code Event()}.
     *
     * @return a new event, not set
     */
    public io.mp4j.ipc.sync.Event event() { return stamp(io.mp4j.ipc.sync.Event.create(resourceDir())); }

    /**
     * Python's {@code Condition()}: over a new RLock.
     *
     * @return a new condition
     */
    public io.mp4j.ipc.sync.Condition condition() { return condition(rlock()); }

    /**
     * Python's {@code Condition(lock)}: over a Lock or RLock of a local context (null: a new RLock).
     *
     * @param lock the lock the condition releases while it waits, or null
     * @return a new condition
     * @throws IllegalArgumentException for a lock made by another back end (a cluster's)
     */
    public io.mp4j.ipc.sync.Condition condition(io.mp4j.shared.MpLock lock) {
        if (lock == null || lock instanceof io.mp4j.ipc.sync.SharedLock) return condition((io.mp4j.ipc.sync.SharedLock) lock);
        throw new IllegalArgumentException("a local Condition needs a Lock or RLock of a local context, got a "
                + lock.getClass().getName() + " (" + lock + ")");
    }

    /**
     * Python's {@code Condition(lock)}: over an existing Lock or RLock (null: a new RLock).
     *
     * @param lock the lock the condition releases while it waits, or null
     * @return a new condition
     */
    public io.mp4j.ipc.sync.Condition condition(io.mp4j.ipc.sync.SharedLock lock) {
        return stamp(io.mp4j.ipc.sync.Condition.create(resourceDir(), lock == null ? rlock() : lock));
    }

    /**
     * Python's {@code Barrier(parties)}.
     *
     * @param parties how many parties must arrive
     * @return a new barrier
     */
    public io.mp4j.ipc.sync.Barrier barrier(int parties) { return barrier(parties, null, null); }

    /**
     * Python's {@code Barrier(parties, action, timeout)}: {@code action} (or null) runs once per generation, in
     * the last party to arrive, in whichever process that is; {@code timeout} (or null) is the default for
     * {@code await()} (zero or negative: it does not wait).
     *
     * <p>The action travels with the barrier to other processes, as a process target does. Under THREAD, an action
     * whose captured values cannot travel (a {@code ReentrantLock}, an {@code AtomicInteger}) is kept as it is, for
     * this JVM's threads only.
     *
     * @throws io.mp4j.ipc.codec.CodecException when this context starts processes and the action, or a value it
     *         captures, cannot travel to them (checked here, as a process target is at {@code start()})
     * @param parties how many parties must arrive
     * @param action what the last party to arrive runs, or null
     * @param timeout the default timeout of {@code await()}, or null for none
     * @return a new barrier
     */
    public io.mp4j.ipc.sync.Barrier barrier(int parties, Task action, java.time.Duration timeout) {
        Runnable a = action == null ? null : new BarrierAction(action);
        if (a != null) {
            try {
                ((BarrierAction) a).checkCanTravel();
            } catch (io.mp4j.ipc.codec.CodecException e) {
                if (method.isProcess()) throw e;
                BarrierAction local = (BarrierAction) a;
                a = local::run; // not serializable: the barrier keeps it in this JVM (see Barrier.create)
            }
        }
        return stamp(io.mp4j.ipc.sync.Barrier.create(resourceDir(), parties, a, timeout == null ? -1 : Math.max(0, timeout.toNanos())));
    }

    /**
     * A barrier action that travels like a process target (method + captured values, shared objects as
     * handles) inside the Java serialization the barrier's handle uses.
     */
    private static final class BarrierAction implements io.mp4j.ipc.sync.Barrier.Action {
        private static final long serialVersionUID = 1L;
        private transient io.mp4j.worker.task.FunctionRef ref;

        BarrierAction(Task task) { this.ref = io.mp4j.worker.task.FunctionRef.of(task); }

        /** Encodes the action's captured values, as passing the barrier to a process will: what cannot travel fails now. */
        void checkCanTravel() { ref.checkCanTravel(); }

        @Override
        public void run() {
            try {
                ref.invoke(new Object[0]);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new java.util.concurrent.CompletionException("the barrier action failed: " + t, t);
            }
        }

        private void writeObject(java.io.ObjectOutputStream out) throws IOException { ref.write(out); }

        private void readObject(java.io.ObjectInputStream in) throws IOException {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            ref = io.mp4j.worker.task.FunctionRef.read(in, cl == null ? SharedObjectFactories.class.getClassLoader() : cl);
        }
    }
}
