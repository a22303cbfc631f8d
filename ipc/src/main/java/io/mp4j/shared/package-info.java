/**
 * What a process-shared object offers, whichever back end made it: the interfaces that the objects of a local
 * context ({@code io.mp4j.Context}: shared memory, futex words, Chronicle queues) and those of a cluster
 * ({@code io.mp4j.cluster.ClusterContext}: Apache Ignite's data structures) both implement, so that a program
 * written against them runs on either with only the context changed ({@code io.mp4j.BaseContext}).
 *
 * <p>They live in the lowest module, beside the local implementations, because those implement them; the
 * contexts that make the objects are in {@code core} and {@code cluster}. Every object travels to another
 * process as an argument (a small handle that re-attaches there); it must be used with processes of the
 * context that made it.
 *
 * <p>Python names: {@code Lock} &rarr; {@link io.mp4j.shared.MpLock}, {@code RLock} &rarr;
 * {@link io.mp4j.shared.MpRLock}, {@code Semaphore} &rarr; {@link io.mp4j.shared.MpSemaphore},
 * {@code BoundedSemaphore} &rarr; {@link io.mp4j.shared.MpBoundedSemaphore}, {@code Event} &rarr;
 * {@link io.mp4j.shared.MpEvent}, {@code Condition} &rarr; {@link io.mp4j.shared.MpCondition}, {@code Barrier}
 * &rarr; {@link io.mp4j.shared.MpBarrier}, {@code Value} &rarr; {@link io.mp4j.shared.MpValue}, {@code Array}
 * &rarr; {@link io.mp4j.shared.MpArray}, {@code Queue} &rarr; {@link io.mp4j.shared.MpQueue}, {@code JoinableQueue}
 * &rarr; {@link io.mp4j.shared.MpJoinableQueue}. The {@code Mp} prefix keeps them apart from the JDK's
 * {@code Lock}, {@code Queue}, {@code Condition}, {@code Semaphore} and {@code Array}.
 */
package io.mp4j.shared;
