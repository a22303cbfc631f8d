package io.mp4j;

import io.mp4j.function.Task;
import io.mp4j.function.Task1;
import io.mp4j.function.Task2;
import io.mp4j.function.Task3;
import io.mp4j.function.Task4;
import io.mp4j.shared.MpArray;
import io.mp4j.shared.MpBarrier;
import io.mp4j.shared.MpBoundedSemaphore;
import io.mp4j.shared.MpCondition;
import io.mp4j.shared.MpEvent;
import io.mp4j.shared.MpJoinableQueue;
import io.mp4j.shared.MpLock;
import io.mp4j.shared.MpQueue;
import io.mp4j.shared.MpRLock;
import io.mp4j.shared.MpSemaphore;
import io.mp4j.shared.MpValue;

import java.time.Duration;

/**
 * The factory methods a local context ({@link Context}) and a cluster's ({@code io.mp4j.cluster.ClusterContext})
 * share (Python's {@code multiprocessing.context.BaseContext}): a program written against this interface runs on
 * either with only the context changed.
 *
 * <pre>{@code
 * static void run(BaseContext ctx) throws Exception {
 *     MpQueue<Integer> q = ctx.queue(Integer.class);
 *     BaseProcess p = ctx.process(Squares::fill, q);
 *     p.start();
 *     p.join();
 * }
 * run(Multiprocessing.getContext());            // child JVMs on this machine
 * try (ClusterContext c = ClusterContext.startLocal(2)) { run(c); }  // a cluster's nodes
 * }</pre>
 *
 * <p>Objects are stamped with the context that made them: pass them only to processes and pools of that context.
 * What a back end cannot do fails with a clear exception (a cluster has no {@code maxtasksperchild}).
 */
public interface BaseContext {
    // ------------------------------------------------------------------ processes

    /**
     * A process that will run {@code target} (Python's {@code Process(target=f)}).
     *
     * @param target the method the process runs, with no arguments
     * @return a new process, not yet started
     */
    BaseProcess process(Task target);

    /**
     * A process that will run {@code target(a)}.
     *
     * @param <A> the type of the argument
     * @param target the method the process runs
     * @param a its argument, encoded at {@code start()}
     * @return a new process, not yet started
     */
    <A> BaseProcess process(Task1<A> target, A a);

    /**
     * A process that will run {@code target(a, b)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @return a new process, not yet started
     */
    <A, B> BaseProcess process(Task2<A, B> target, A a, B b);

    /**
     * A process that will run {@code target(a, b, c)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <C> the type of the third argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @param c its third argument
     * @return a new process, not yet started
     */
    <A, B, C> BaseProcess process(Task3<A, B, C> target, A a, B b, C c);

    /**
     * A process that will run {@code target(a, b, c, d)}.
     *
     * @param <A> the type of the first argument
     * @param <B> the type of the second argument
     * @param <C> the type of the third argument
     * @param <D> the type of the fourth argument
     * @param target the method the process runs
     * @param a its first argument
     * @param b its second argument
     * @param c its third argument
     * @param d its fourth argument
     * @return a new process, not yet started
     */
    <A, B, C, D> BaseProcess process(Task4<A, B, C, D> target, A a, B b, C c, D d);

    // ------------------------------------------------------------------ synchronization

    /**
     * Python's {@code Lock()}: a lock that any process may release.
     *
     * @return a new lock
     */
    MpLock lock();

    /**
     * Python's {@code RLock()}: a lock its holder may take again, released by its holder.
     *
     * @return a new reentrant lock
     */
    MpRLock rlock();

    /**
     * Python's {@code Semaphore(value)}.
     *
     * @param value the initial permits, at least 0
     * @return a new semaphore
     * @throws IllegalArgumentException for a negative value
     */
    MpSemaphore semaphore(int value);

    /**
     * Python's {@code Semaphore()}: one permit.
     *
     * @return a new semaphore
     */
    MpSemaphore semaphore();

    /**
     * Python's {@code BoundedSemaphore(value)}: a release past {@code value} fails.
     *
     * @param value the initial and largest number of permits, at least 0
     * @return a new bounded semaphore
     * @throws IllegalArgumentException for a negative value
     */
    MpBoundedSemaphore boundedSemaphore(int value);

    /**
     * Python's {@code BoundedSemaphore()}: one permit.
     *
     * @return a new bounded semaphore
     */
    MpBoundedSemaphore boundedSemaphore();

    /**
     * Python's {@code Event()}.
     *
     * @return a new event, not set
     */
    MpEvent event();

    /**
     * Python's {@code Condition()}: over a new RLock.
     *
     * @return a new condition
     */
    MpCondition condition();

    /**
     * Python's {@code Condition(lock)}: over a lock this context made (null: a new RLock).
     *
     * @param lock the lock the condition releases while it waits, or null
     * @return a new condition
     * @throws IllegalArgumentException for a lock of another back end
     */
    MpCondition condition(MpLock lock);

    /**
     * Python's {@code Barrier(parties)}.
     *
     * @param parties how many parties must arrive, at least 1
     * @return a new barrier
     * @throws IllegalArgumentException for fewer than one party
     */
    MpBarrier barrier(int parties);

    /**
     * Python's {@code Barrier(parties, action, timeout)}.
     *
     * @param parties how many parties must arrive, at least 1
     * @param action run by the last party to arrive, before any is released, or null
     * @param timeout the default timeout of {@code await()}, or null for none
     * @return a new barrier
     * @throws IllegalArgumentException for fewer than one party, or an action that cannot travel
     */
    MpBarrier barrier(int parties, Task action, Duration timeout);

    // ------------------------------------------------------------------ values

    /**
     * Python's {@code Value(typecode, initial)}: with a new RLock.
     *
     * @param typecode a type code of Python's {@code array} module ('i', 'q', 'd', '?', ...)
     * @param initial the initial value, which must fit the type
     * @return a new shared value
     * @throws IllegalArgumentException for an unknown type code or a value that does not fit it
     */
    MpValue value(char typecode, Object initial);

    /**
     * Python's {@code Value(typecode, initial, lock)}.
     *
     * @param typecode a type code of Python's {@code array} module
     * @param initial the initial value, which must fit the type
     * @param lock true (a new RLock), false (no lock), or a lock of this context
     * @return a new shared value
     * @throws IllegalArgumentException for an unknown type code, a value that does not fit it, or another lock
     */
    MpValue value(char typecode, Object initial, Object lock);

    /**
     * A shared int ('i') with a lock.
     *
     * @param initial the initial value
     * @return a new shared value
     */
    default MpValue intValue(int initial) { return value('i', initial); }

    /**
     * A shared long ('q') with a lock.
     *
     * @param initial the initial value
     * @return a new shared value
     */
    default MpValue longValue(long initial) { return value('q', initial); }

    /**
     * A shared double ('d') with a lock.
     *
     * @param initial the initial value
     * @return a new shared value
     */
    default MpValue doubleValue(double initial) { return value('d', initial); }

    /**
     * A shared boolean ('?') with a lock.
     *
     * @param initial the initial value
     * @return a new shared value
     */
    default MpValue booleanValue(boolean initial) { return value('?', initial); }

    /**
     * Python's {@code Array(typecode, size_or_initializer)}, with a new RLock.
     *
     * @param typecode a type code of Python's {@code array} module
     * @param sizeOrInitial a length, or the initial elements (a Java array or a list)
     * @return a new shared array
     * @throws IllegalArgumentException for an unknown type code, a negative length or an element that does not fit
     */
    MpArray array(char typecode, Object sizeOrInitial);

    /**
     * Python's {@code Array(typecode, size_or_initializer, lock)}.
     *
     * @param typecode a type code of Python's {@code array} module
     * @param sizeOrInitial a length, or the initial elements (a Java array or a list)
     * @param lock as for {@link #value(char, Object, Object)}
     * @return a new shared array
     * @throws IllegalArgumentException for an unknown type code, a negative length, an element that does not fit,
     *         or another lock
     */
    MpArray array(char typecode, Object sizeOrInitial, Object lock);

    /**
     * A shared int array ('i') with a lock.
     *
     * @param initial the initial elements
     * @return a new shared array
     */
    default MpArray intArray(int... initial) { return array('i', initial); }

    /**
     * A shared long array ('q') with a lock.
     *
     * @param initial the initial elements
     * @return a new shared array
     */
    default MpArray longArray(long... initial) { return array('q', initial); }

    /**
     * A shared double array ('d') with a lock.
     *
     * @param initial the initial elements
     * @return a new shared array
     */
    default MpArray doubleArray(double... initial) { return array('d', initial); }

    // ------------------------------------------------------------------ queues

    /**
     * Python's {@code Queue()}: unbounded, of any type the codec takes.
     *
     * @return a new queue
     */
    default MpQueue<Object> queue() { return queue(Object.class, 0); }

    /**
     * Python's {@code Queue(maxsize)}.
     *
     * @param maxsize the most items it holds, 0 for no bound
     * @return a new queue
     * @throws IllegalArgumentException for a negative maxsize
     */
    default MpQueue<Object> queue(int maxsize) { return queue(Object.class, maxsize); }

    /**
     * An unbounded queue of {@code elementType}.
     *
     * @param <E> the items' type
     * @param elementType the type items are decoded against
     * @return a new queue
     */
    default <E> MpQueue<E> queue(Class<E> elementType) { return queue(elementType, 0); }

    /**
     * A queue of at most {@code maxsize} items of {@code elementType}.
     *
     * @param <E> the items' type
     * @param elementType the type items are decoded against
     * @param maxsize the most items it holds, 0 for no bound
     * @return a new queue
     * @throws IllegalArgumentException for a negative maxsize
     */
    <E> MpQueue<E> queue(Class<E> elementType, int maxsize);

    /**
     * Python's {@code JoinableQueue()}.
     *
     * @return a new joinable queue, unbounded
     */
    default MpJoinableQueue<Object> joinableQueue() { return joinableQueue(Object.class, 0); }

    /**
     * Python's {@code JoinableQueue(maxsize)}.
     *
     * @param maxsize the most items it holds, 0 for no bound
     * @return a new joinable queue
     * @throws IllegalArgumentException for a negative maxsize
     */
    default MpJoinableQueue<Object> joinableQueue(int maxsize) { return joinableQueue(Object.class, maxsize); }

    /**
     * An unbounded joinable queue of {@code elementType}.
     *
     * @param <E> the items' type
     * @param elementType the type items are decoded against
     * @return a new joinable queue
     */
    default <E> MpJoinableQueue<E> joinableQueue(Class<E> elementType) { return joinableQueue(elementType, 0); }

    /**
     * A joinable queue of at most {@code maxsize} items of {@code elementType}.
     *
     * @param <E> the items' type
     * @param elementType the type items are decoded against
     * @param maxsize the most items it holds, 0 for no bound
     * @return a new joinable queue
     * @throws IllegalArgumentException for a negative maxsize
     */
    <E> MpJoinableQueue<E> joinableQueue(Class<E> elementType, int maxsize);

    // ------------------------------------------------------------------ pools

    /**
     * Python's {@code Pool()}: as many workers as the back end has processors.
     *
     * @return a new pool, its workers starting
     */
    Pool pool();

    /**
     * Python's {@code Pool(processes)}.
     *
     * @param processes the number of workers, at least 1
     * @return a new pool, its workers starting
     * @throws IllegalArgumentException for fewer than one worker
     */
    Pool pool(int processes);

    /**
     * Python's {@code Pool(processes, initializer, (arg,), maxtasksperchild)}.
     *
     * @param <A> the type of the initializer's argument
     * @param processes the number of workers, at least 1
     * @param initializer what each worker runs first
     * @param initarg the initializer's argument
     * @param maxtasksperchild items a worker runs before it is replaced, null for no limit
     * @return a new pool, its workers starting
     * @throws IllegalArgumentException for fewer than one worker, a maxtasksperchild below 1, or an initializer
     *         that cannot travel
     * @throws UnsupportedOperationException for a maxtasksperchild on a back end that has none (a cluster)
     */
    <A> Pool pool(int processes, Task1<A> initializer, A initarg, Integer maxtasksperchild);

    /**
     * A builder for a pool of this context (initializer, task timeout...).
     *
     * @return a new builder
     */
    Pool.Builder poolBuilder();

    /**
     * Python's {@code ProcessPoolExecutor(max_workers)}.
     *
     * @param maxWorkers the number of workers, at least 1
     * @return a new executor, its workers starting
     * @throws IllegalArgumentException for fewer than one worker
     */
    ProcessPoolExecutor processPoolExecutor(int maxWorkers);

    /**
     * A builder for an executor of this context.
     *
     * @return a new builder
     */
    ProcessPoolExecutor.Builder executorBuilder();
}
