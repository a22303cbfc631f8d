package io.mp4j.managers;

import io.mp4j.ipc.shm.TypeCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The layer of {@link SyncManager} that makes objects in the server and hands out their proxies: registered types,
 * data (dict, list, namespace, value, array), queues and synchronization primitives, each with its documentation.
 * What it needs of the manager's life cycle is two answers: the client of a running manager, and its address.
 */
abstract sealed class ProxyFactories permits SyncManager {
    /** The key peers prove to the manager, and that proxies carry in their tokens. */
    final byte[] authkey;

    ProxyFactories(byte[] authkey) { this.authkey = authkey; }

    /**
     * The client of a manager that is started, connected or serving.
     *
     * @throws IllegalStateException naming {@code what} when the manager is not started yet, or shut down
     */
    abstract ManagerClient running(String what);

    /** The address the manager is served on, once it runs. */
    abstract String servedAddress();

    /** Makes an object of a built-in type; returns its token. */
    Token make(String typeid, List<String> types, ManagerClient.Args args) {
        ManagerClient.Created c = running("a " + typeid).create(typeid, args);
        return BaseProxy.newToken(typeid, servedAddress(), c.id(), types, authkey);
    }

    // ------------------------------------------------------------------ registered types

    /**
     * Makes an object of a registered type in the server (its factory runs there) and returns its proxy (Python's
     * {@code manager.Typeid()}). A factory that returns the same object each time (a queue served to other
     * machines) gives proxies of that one object.
     *
     * @param type the interface the type was registered with (or one it extends)
     * @throws IllegalArgumentException when {@code typeid} is not registered in the server, or with another interface
     * @param <T> the interface the object is served as
     * @param typeid the name the type was registered with
     * @return a proxy to the object
     */
    public <T> AutoProxy<T> create(String typeid, Class<T> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isInterface()) throw new IllegalArgumentException("a registered type is reached through an interface: type=" + type.getName());
        ManagerClient.Created c = running("a '" + typeid + "'").create(Objects.requireNonNull(typeid, "typeid"), ManagerClient.Args.NONE);
        if (!c.type().equals(type.getName())) {
            Class<?> served;
            try {
                served = Class.forName(c.type(), false, Wire.loader());
            } catch (ClassNotFoundException e) {
                served = null;
            }
            if (served == null || !type.isAssignableFrom(served)) {
                throw new IllegalArgumentException("'" + typeid + "' is served as a " + (c.type().isEmpty() ? "built-in type" : c.type())
                        + ", not a " + type.getName());
            }
        }
        return new AutoProxy<>(BaseProxy.newToken(typeid, servedAddress(), c.id(), List.of(type.getName()), authkey));
    }

    // ------------------------------------------------------------------ data

    /**
     * Python's {@code manager.dict()}: an empty shared map of any keys and values.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @return a proxy to a new dict in the server
     */
    public <K, V> DictProxy<K, V> dict() { return dict(Map.of()); }

    /**
     * An empty shared map whose keys and values decode as {@code keyType} and {@code valueType}.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param keyType the keys' class
     * @param valueType the values' class
     * @return a proxy to a new dict in the server
     */
    public <K, V> DictProxy<K, V> dict(Class<K> keyType, Class<V> valueType) {
        return new DictProxy<>(make("dict", List.of(keyType.getName(), valueType.getName()), out -> out.writeInt(0)));
    }

    /**
     * Python's {@code manager.dict(mapping)}: a shared map holding copies of {@code initial}'s entries.
     *
     * @param <K> the type of the keys
     * @param <V> the type of the values
     * @param initial the initial entries
     * @return a proxy to a new dict in the server
     */
    public <K, V> DictProxy<K, V> dict(Map<? extends K, ? extends V> initial) {
        List<Map.Entry<? extends K, ? extends V>> entries = new ArrayList<>(initial.entrySet());
        return new DictProxy<>(make("dict", List.of(), out -> {
            out.writeInt(entries.size());
            for (var e : entries) {
                Wire.writeBlob(out, e.getKey());
                Wire.writeBlob(out, e.getValue());
            }
        }));
    }

    /**
     * Python's {@code manager.list()}: an empty shared list of any elements.
     *
     * @param <E> the type of the elements
     * @return a proxy to a new list in the server
     */
    public <E> ListProxy<E> list() { return list(List.of()); }

    /**
     * An empty shared list whose elements decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @return a proxy to a new list in the server
     */
    public <E> ListProxy<E> list(Class<E> elementType) {
        return new ListProxy<>(make("list", List.of(elementType.getName()), out -> out.writeInt(0)));
    }

    /**
     * Python's {@code manager.list(sequence)}: a shared list holding copies of {@code initial}'s elements.
     *
     * @param <E> the type of the elements
     * @param initial the initial elements
     * @return a proxy to a new list in the server
     */
    public <E> ListProxy<E> list(Collection<? extends E> initial) {
        List<? extends E> items = new ArrayList<>(initial);
        return new ListProxy<>(make("list", List.of(), out -> {
            out.writeInt(items.size());
            for (Object o : items) Wire.writeBlob(out, o);
        }));
    }

    /**
     * Python's {@code manager.Namespace()}.
     *
     * @return a proxy to a new namespace in the server
     */
    public Namespace namespace() { return namespace(Map.of()); }

    /**
     * Python's {@code manager.Namespace(**attributes)}.
     *
     * @param attributes the initial attributes
     * @return a proxy to a new namespace in the server
     */
    public Namespace namespace(Map<String, ?> attributes) {
        List<Map.Entry<String, ?>> entries = new ArrayList<>(attributes.entrySet());
        return new Namespace(make("Namespace", List.of(), out -> {
            out.writeInt(entries.size());
            for (var e : entries) {
                if (e.getKey() == null || e.getKey().isEmpty()) throw new IllegalArgumentException("an attribute name must not be empty");
                io.mp4j.ipc.codec.Codec.writeString(out, e.getKey());
                Wire.writeBlob(out, e.getValue());
            }
        }));
    }

    /**
     * Python's {@code manager.Value(typecode, value)}: {@code initial} converted to what the type code holds.
     *
     * @throws IllegalArgumentException for an unknown type code, or a value it cannot hold
     * @param typecode a Python type code ({@code 'i'}, {@code 'd'}, ...)
     * @param initial the initial value, in the type code's range
     * @return a proxy to a new value in the server
     */
    public ValueProxy value(char typecode, Object initial) {
        TypeCode code = TypeCode.of(typecode);
        Object v = TypeCodes.convert(code, initial);
        return new ValueProxy(make("Value", List.of(String.valueOf(typecode)), out -> Wire.writeBlob(out, v)));
    }

    /**
     * Python's {@code manager.Array(typecode, sequence)}: {@code sizeOrInitial} is a length (zeros, or false) or
     * the initial elements (a primitive array, an {@code Object[]} or a collection), converted to what the type code
     * holds.
     *
     * @throws IllegalArgumentException for an unknown type code, a negative length, or an element it cannot hold
     * @param typecode a Python type code ({@code 'i'}, {@code 'd'}, ...)
     * @param sizeOrInitial a length (a number) or the initial elements (an array or a collection)
     * @return a proxy to a new array in the server
     */
    public ArrayProxy array(char typecode, Object sizeOrInitial) {
        TypeCode code = TypeCode.of(typecode);
        List<Object> items = new ArrayList<>();
        switch (sizeOrInitial) {
            case Integer n -> {
                if (n < 0) throw new IllegalArgumentException("an array's length must not be negative: length=" + n);
                Object zero = TypeCodes.convert(code, code == TypeCode.BOOLEAN ? Boolean.FALSE : (Object) 0);
                for (int i = 0; i < n; i++) items.add(zero);
            }
            case Collection<?> c -> c.forEach(o -> items.add(TypeCodes.convert(code, o)));
            case Object o when o.getClass().isArray() -> {
                for (int i = 0; i < java.lang.reflect.Array.getLength(o); i++) items.add(TypeCodes.convert(code, java.lang.reflect.Array.get(o, i)));
            }
            case null -> throw new IllegalArgumentException("an array needs a length or its elements, not null");
            default -> throw new IllegalArgumentException("an array needs a length or its elements (an array or a collection): got a "
                    + sizeOrInitial.getClass().getName());
        }
        return new ArrayProxy(make("Array", List.of(String.valueOf(typecode)), out -> {
            out.writeInt(items.size());
            for (Object o : items) Wire.writeBlob(out, o);
        }));
    }

    // ------------------------------------------------------------------ queues

    /**
     * Python's {@code manager.Queue()}: unbounded, of any items.
     *
     * @param <E> the type of the elements
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue() { return queue(0); }

    /**
     * Python's {@code manager.Queue(maxsize)} (0: unbounded).
     *
     * @param <E> the type of the elements
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue(int maxsize) { return new QueueProxy<>(makeQueue("Queue", Object.class, maxsize)); }

    /**
     * An unbounded queue whose items decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue(Class<E> elementType) { return queue(elementType, 0); }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded) that decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new queue in the server
     */
    public <E> QueueProxy<E> queue(Class<E> elementType, int maxsize) { return new QueueProxy<>(makeQueue("Queue", elementType, maxsize)); }

    /**
     * Python's {@code manager.JoinableQueue()}.
     *
     * @param <E> the type of the elements
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue() { return joinableQueue(0); }

    /**
     * Python's {@code manager.JoinableQueue(maxsize)}.
     *
     * @param <E> the type of the elements
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue(int maxsize) { return new JoinableQueueProxy<>(makeQueue("JoinableQueue", Object.class, maxsize)); }

    /**
     * An unbounded joinable queue whose items decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue(Class<E> elementType) { return joinableQueue(elementType, 0); }

    /**
     * A joinable queue of at most {@code maxsize} items (0: unbounded) that decode as {@code elementType}.
     *
     * @param <E> the type of the elements
     * @param elementType the elements' class
     * @param maxsize the most items the queue holds, 0 for no limit
     * @return a proxy to a new joinable queue in the server
     */
    public <E> JoinableQueueProxy<E> joinableQueue(Class<E> elementType, int maxsize) {
        return new JoinableQueueProxy<>(makeQueue("JoinableQueue", elementType, maxsize));
    }

    private Token makeQueue(String typeid, Class<?> elementType, int maxsize) {
        if (maxsize < 0) throw new IllegalArgumentException("maxsize must not be negative: maxsize=" + maxsize);
        return make(typeid, List.of(elementType.getName()), out -> out.writeInt(maxsize));
    }

    // ------------------------------------------------------------------ synchronization

    /**
     * Python's {@code manager.Lock()}.
     *
     * @return a proxy to a new lock in the server
     */
    public LockProxy lock() { return new LockProxy(make("Lock", List.of(), ManagerClient.Args.NONE)); }

    /**
     * Python's {@code manager.RLock()}.
     *
     * @return a proxy to a new reentrant lock in the server
     */
    public RLockProxy rlock() { return new RLockProxy(make("RLock", List.of(), ManagerClient.Args.NONE)); }

    /**
     * Python's {@code manager.Semaphore()}: one permit.
     *
     * @return a proxy to a new semaphore in the server
     */
    public SemaphoreProxy semaphore() { return semaphore(1); }

    /**
     * Python's {@code manager.Semaphore(value)}.
     *
     * @param value the initial count
     * @return a proxy to a new semaphore in the server
     */
    public SemaphoreProxy semaphore(int value) {
        if (value < 0) throw new IllegalArgumentException("a semaphore's value must not be negative: value=" + value);
        return new SemaphoreProxy(make("Semaphore", List.of(), out -> out.writeInt(value)));
    }

    /**
     * Python's {@code manager.BoundedSemaphore()}: one permit.
     *
     * @return a proxy to a new bounded semaphore in the server
     */
    public BoundedSemaphoreProxy boundedSemaphore() { return boundedSemaphore(1); }

    /**
     * Python's {@code manager.BoundedSemaphore(value)}.
     *
     * @param value the initial count
     * @return a proxy to a new bounded semaphore in the server
     */
    public BoundedSemaphoreProxy boundedSemaphore(int value) {
        if (value < 0) throw new IllegalArgumentException("a semaphore's value must not be negative: value=" + value);
        return new BoundedSemaphoreProxy(make("BoundedSemaphore", List.of(), out -> out.writeInt(value)));
    }

    /**
     * Python's {@code manager.Condition()}: over a new RLock of this manager ({@link ConditionProxy#getLock()}).
     *
     * @return a proxy to a new condition in the server
     */
    public ConditionProxy condition() { return condition(rlock()); }

    /**
     * Python's {@code manager.Condition(lock)}.
     *
     * @throws IllegalArgumentException when {@code lock} belongs to another manager
     * @param lock the lock the condition is over, from this manager
     * @return a proxy to a new condition in the server
     */
    public ConditionProxy condition(AcquirerProxy lock) {
        Objects.requireNonNull(lock, "lock");
        if (!lock.managerAddress().equals(servedAddress())) {
            throw new IllegalArgumentException("a condition needs a lock of the same manager: the lock's manager is at "
                    + lock.managerAddress() + ", this one at " + servedAddress());
        }
        return new ConditionProxy(make("Condition", List.of(lock.typeid(), Long.toString(lock.id())), out -> out.writeLong(lock.id())));
    }

    /**
     * Python's {@code manager.Event()}.
     *
     * @return a proxy to a new event in the server
     */
    public EventProxy event() { return new EventProxy(make("Event", List.of(), ManagerClient.Args.NONE)); }

    /**
     * Python's {@code manager.Barrier(parties)}.
     *
     * @param parties how many parties the barrier waits for
     * @return a proxy to a new barrier in the server
     */
    public BarrierProxy barrier(int parties) { return barrier(parties, null); }

    /**
     * Python's {@code manager.Barrier(parties, timeout=t)}: {@code timeout} (or null) is the default of
     * {@link BarrierProxy#await()}.
     *
     * @throws IllegalArgumentException for fewer than one party or a negative timeout
     * @param parties how many parties the barrier waits for
     * @param timeout the longest wait ({@code null}: none)
     * @return a proxy to a new barrier in the server
     */
    public BarrierProxy barrier(int parties, Duration timeout) {
        if (parties < 1) throw new IllegalArgumentException("a barrier needs at least one party: parties=" + parties);
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("timeout must not be negative: timeout=" + timeout);
        long nanos = timeout == null ? Wire.FOREVER : timeout.toNanos();
        return new BarrierProxy(make("Barrier", List.of(), out -> {
            out.writeInt(parties);
            out.writeLong(nanos);
        }));
    }
}
