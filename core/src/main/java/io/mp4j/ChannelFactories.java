package io.mp4j;

import java.nio.file.Path;

/**
 * The layer of {@link Context} that makes channels between processes: pipes, listeners and clients of
 * authenticated connections, and queues. Each can be passed to a child of any start method, where it re-attaches.
 */
abstract sealed class ChannelFactories extends SharedObjectFactories permits Context {
    ChannelFactories(StartMethod method, byte[] authkey) { super(method, authkey); }


    /**
     * A duplex pipe: two connected ends that both send and receive (Python's {@code Pipe()}).
     *
     * @return a new duplex pipe
     */
    public io.mp4j.ipc.connection.Pipe pipe() { return pipe(true); }

    /**
     * A pipe (Python's {@code Pipe(duplex)}); with {@code duplex = false} the first end only receives and
     * the second only sends. Either end can be passed to a child of any start method, where it re-attaches;
     * the socket this process hands ends over from lives in {@link #resourceDir()}.
     *
     * @param duplex whether both ends send and receive
     * @return a new pipe
     */
    public io.mp4j.ipc.connection.Pipe pipe(boolean duplex) {
        return stamp(io.mp4j.ipc.connection.Pipe.open(duplex, this::resourceDir));
    }

    /**
     * A listener on a new Unix-domain socket in this context's private directory, authenticating peers with
     * {@link #authkey()}; {@code listener.address()} is what a child passes to {@link #client}.
     *
     * @return a listener, listening
     * @throws java.io.IOException if the socket cannot be made
     */
    public io.mp4j.ipc.connection.Listener listener() throws java.io.IOException {
        Path socket = resourceDir().resolve("listener-" + LISTENERS.incrementAndGet() + ".sock");
        return listener(java.net.UnixDomainSocketAddress.of(socket), authkey);
    }

    /**
     * A listener on {@code address} (a Unix-domain path, or 127.0.0.1), authenticating peers with {@link #authkey()}.
     *
     * @param address where to listen
     * @return a listener, listening
     * @throws java.io.IOException if the address cannot be bound
     * @throws IllegalArgumentException for an address that is not on the local machine
     */
    public io.mp4j.ipc.connection.Listener listener(java.net.SocketAddress address) throws java.io.IOException {
        return listener(address, authkey);
    }

    /**
     * A listener on {@code address} authenticating peers with {@code authkey} (Python's {@code Listener(address, authkey=...)}).
     *
     * @param address where to listen
     * @param authkey the key peers must prove
     * @return a listener, listening
     * @throws java.io.IOException if the address cannot be bound
     * @throws IllegalArgumentException for an address that is not on the local machine
     */
    public io.mp4j.ipc.connection.Listener listener(java.net.SocketAddress address, byte[] authkey) throws java.io.IOException {
        return stamp(new io.mp4j.ipc.connection.Listener(address, authkey, this::resourceDir));
    }

    /**
     * A connection to the listener at {@code address}, authenticated with {@link #authkey()} (Python's {@code Client}).
     *
     * @param address where a listener listens
     * @return an authenticated connection
     * @throws java.io.IOException if the connection or its handshake fails
     */
    public io.mp4j.ipc.connection.Connection client(java.net.SocketAddress address) throws java.io.IOException {
        return client(address, authkey);
    }

    /**
     * A connection to the listener at {@code address}, authenticated with {@code authkey}.
     *
     * @param address where a listener listens
     * @param authkey the key to prove
     * @return an authenticated connection
     * @throws java.io.IOException if the connection or its handshake fails
     */
    public io.mp4j.ipc.connection.Connection client(java.net.SocketAddress address, byte[] authkey) throws java.io.IOException {
        return stamp(io.mp4j.ipc.connection.Client.connect(address, authkey, this::resourceDir));
    }

    private static final java.util.concurrent.atomic.AtomicInteger LISTENERS = new java.util.concurrent.atomic.AtomicInteger();


    /**
     * An unbounded queue of any registered, record or JDK type (Python's {@code Queue()}).
     *
     * @return a new queue
     */
    public io.mp4j.ipc.queue.Queue<Object> queue() { return queue(Object.class, 0); }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded), of any type (Python's {@code Queue(maxsize)}).
     *
     * @param maxsize the most items it holds (0: unbounded)
     * @return a new queue
     */
    public io.mp4j.ipc.queue.Queue<Object> queue(int maxsize) { return queue(Object.class, maxsize); }

    /**
     * An unbounded queue of {@code elementType} items.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @return a new queue
     */
    public <E> io.mp4j.ipc.queue.Queue<E> queue(Class<E> elementType) { return queue(elementType, 0); }

    /**
     * A queue of at most {@code maxsize} items (0: unbounded) of {@code elementType}, in this context's
     * private directory; it travels to children as an argument.
     *
     * @throws IllegalArgumentException for a negative {@code maxsize}
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @param maxsize the most items it holds
     * @return a new queue
     */
    public <E> io.mp4j.ipc.queue.Queue<E> queue(Class<E> elementType, int maxsize) {
        return stamp(io.mp4j.ipc.queue.Queue.create(resourceDir(), elementType, maxsize));
    }

    /**
     * A simple queue of any type (Python's {@code SimpleQueue()}).
     *
     * @return a new simple queue
     */
    public io.mp4j.ipc.queue.SimpleQueue<Object> simpleQueue() { return simpleQueue(Object.class); }

    /**
     * A simple queue of {@code elementType} items.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @return a new simple queue
     */
    public <E> io.mp4j.ipc.queue.SimpleQueue<E> simpleQueue(Class<E> elementType) {
        return stamp(io.mp4j.ipc.queue.SimpleQueue.create(resourceDir(), elementType));
    }

    /**
     * An unbounded joinable queue of any type (Python's {@code JoinableQueue()}).
     *
     * @return a new joinable queue
     */
    public io.mp4j.ipc.queue.JoinableQueue<Object> joinableQueue() { return joinableQueue(Object.class, 0); }

    /**
     * A joinable queue of at most {@code maxsize} items (0: unbounded), of any type.
     *
     * @param maxsize the most items it holds (0: unbounded)
     * @return a new joinable queue
     */
    public io.mp4j.ipc.queue.JoinableQueue<Object> joinableQueue(int maxsize) { return joinableQueue(Object.class, maxsize); }

    /**
     * An unbounded joinable queue of {@code elementType} items.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @return a new joinable queue
     */
    public <E> io.mp4j.ipc.queue.JoinableQueue<E> joinableQueue(Class<E> elementType) { return joinableQueue(elementType, 0); }

    /**
     * A joinable queue of at most {@code maxsize} items (0: unbounded) of {@code elementType}.
     *
     * @param <E> the type of the items
     * @param elementType the class of the items
     * @param maxsize the most items it holds (0: unbounded)
     * @return a new joinable queue
     */
    public <E> io.mp4j.ipc.queue.JoinableQueue<E> joinableQueue(Class<E> elementType, int maxsize) {
        return stamp(io.mp4j.ipc.queue.JoinableQueue.create(resourceDir(), elementType, maxsize));
    }
}
