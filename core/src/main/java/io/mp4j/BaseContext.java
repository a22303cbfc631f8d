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

    /** A process that will run {@code target} (Python's {@code Process(target=f)}). */
    BaseProcess process(Task target);

    <A> BaseProcess process(Task1<A> target, A a);

    <A, B> BaseProcess process(Task2<A, B> target, A a, B b);

    <A, B, C> BaseProcess process(Task3<A, B, C> target, A a, B b, C c);

    <A, B, C, D> BaseProcess process(Task4<A, B, C, D> target, A a, B b, C c, D d);

    // ------------------------------------------------------------------ synchronization

    /** Python's {@code Lock()}. */
    MpLock lock();

    /** Python's {@code RLock()}. */
    MpRLock rlock();

    /** Python's {@code Semaphore(value)}. */
    MpSemaphore semaphore(int value);

    /** Python's {@code Semaphore()}: one permit. */
    MpSemaphore semaphore();

    /** Python's {@code BoundedSemaphore(value)}. */
    MpBoundedSemaphore boundedSemaphore(int value);

    /** Python's {@code BoundedSemaphore()}: one permit. */
    MpBoundedSemaphore boundedSemaphore();

    /** Python's {@code Event()}. */
    MpEvent event();

    /** Python's {@code Condition()}: over a new RLock. */
    MpCondition condition();

    /** Python's {@code Condition(lock)}: over a lock this context made (null: a new RLock). */
    MpCondition condition(MpLock lock);

    /** Python's {@code Barrier(parties)}. */
    MpBarrier barrier(int parties);

    /** Python's {@code Barrier(parties, action, timeout)}; {@code action} and {@code timeout} may be null. */
    MpBarrier barrier(int parties, Task action, Duration timeout);

    // ------------------------------------------------------------------ values

    /** Python's {@code Value(typecode, initial)}: with a new RLock. */
    MpValue value(char typecode, Object initial);

    /** Python's {@code Value(typecode, initial, lock)}: {@code lock} true (a new RLock), false, or a lock of this context. */
    MpValue value(char typecode, Object initial, Object lock);

    default MpValue intValue(int initial) { return value('i', initial); }

    default MpValue longValue(long initial) { return value('q', initial); }

    default MpValue doubleValue(double initial) { return value('d', initial); }

    default MpValue booleanValue(boolean initial) { return value('?', initial); }

    /** Python's {@code Array(typecode, size_or_initializer)}: a length or the initial elements; with a new RLock. */
    MpArray array(char typecode, Object sizeOrInitial);

    /** Python's {@code Array(typecode, size_or_initializer, lock)}; {@code lock} as for {@link #value(char, Object, Object)}. */
    MpArray array(char typecode, Object sizeOrInitial, Object lock);

    default MpArray intArray(int... initial) { return array('i', initial); }

    default MpArray longArray(long... initial) { return array('q', initial); }

    default MpArray doubleArray(double... initial) { return array('d', initial); }

    // ------------------------------------------------------------------ queues

    /** Python's {@code Queue()}: unbounded, of any type the codec takes. */
    default MpQueue<Object> queue() { return queue(Object.class, 0); }

    /** Python's {@code Queue(maxsize)} (0: unbounded). */
    default MpQueue<Object> queue(int maxsize) { return queue(Object.class, maxsize); }

    default <E> MpQueue<E> queue(Class<E> elementType) { return queue(elementType, 0); }

    /** A queue of at most {@code maxsize} items (0: unbounded) of {@code elementType}. @throws IllegalArgumentException for a negative maxsize */
    <E> MpQueue<E> queue(Class<E> elementType, int maxsize);

    /** Python's {@code JoinableQueue()}. */
    default MpJoinableQueue<Object> joinableQueue() { return joinableQueue(Object.class, 0); }

    default MpJoinableQueue<Object> joinableQueue(int maxsize) { return joinableQueue(Object.class, maxsize); }

    default <E> MpJoinableQueue<E> joinableQueue(Class<E> elementType) { return joinableQueue(elementType, 0); }

    <E> MpJoinableQueue<E> joinableQueue(Class<E> elementType, int maxsize);

    // ------------------------------------------------------------------ pools

    /** Python's {@code Pool()}: as many workers as the back end has processors. */
    Pool pool();

    /** Python's {@code Pool(processes)}. */
    Pool pool(int processes);

    /** Python's {@code Pool(processes, initializer, (arg,), maxtasksperchild)}; maxtasksperchild null: no limit. */
    <A> Pool pool(int processes, Task1<A> initializer, A initarg, Integer maxtasksperchild);

    /** A builder for a pool of this context (initializer, task timeout...). */
    Pool.Builder poolBuilder();

    /** Python's {@code ProcessPoolExecutor(max_workers)}. */
    ProcessPoolExecutor processPoolExecutor(int maxWorkers);

    /** A builder for an executor of this context. */
    ProcessPoolExecutor.Builder executorBuilder();
}
