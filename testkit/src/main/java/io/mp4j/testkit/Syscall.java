package io.mp4j.testkit;

import java.util.Set;

/**
 * The kinds of system call a test may wait to see a thread asleep in ({@link Background#awaitAsleepIn}): a
 * thread blocked in the kernel shows state {@code S} and the call's number in {@code /proc/self/task/TID/syscall}.
 * Numbers for x86_64 and aarch64 Linux.
 */
public enum Syscall {
    /** {@code accept}, {@code accept4}. */
    ACCEPT(Set.of(43, 288), Set.of(202, 242)),
    /** {@code recvfrom}, {@code recvmsg}, {@code read}. */
    RECEIVE(Set.of(45, 47, 0), Set.of(207, 212, 63)),
    /** {@code sendto}, {@code sendmsg}, {@code write}. */
    SEND(Set.of(44, 46, 1), Set.of(206, 211, 64)),
    /** {@code poll}, {@code ppoll}, {@code select}, {@code pselect6}, {@code epoll_wait}, {@code epoll_pwait}. */
    POLL(Set.of(7, 271, 23, 270, 232, 281), Set.of(73, 72, 22)),
    /** {@code futex}: the project's locks and queues, and also the JVM's own parking. */
    FUTEX(Set.of(202), Set.of(98));

    private final Set<Integer> numbers;

    Syscall(Set<Integer> x86, Set<Integer> arm) {
        this.numbers = System.getProperty("os.arch").contains("aarch64") ? arm : x86;
    }

    boolean matches(int number) { return numbers.contains(number); }
}
