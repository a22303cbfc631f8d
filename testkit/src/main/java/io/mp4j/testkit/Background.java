package io.mp4j.testkit;

import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * A call on a platform thread of its own whose outcome the test reads back, and which can be watched going to
 * sleep in the kernel: for tests of what wakes, interrupts or closes a blocked call, which must know that the call
 * really blocked before they act (a test that acts first passes without testing anything).
 *
 * <pre>{@code
 * Background<Object> recv = Background.call("recv", () -> end.recv());
 * recv.awaitAsleepIn(Syscall.RECEIVE, Syscall.POLL); // blocked in the kernel, not merely started
 * end.close();
 * assertThat(recv.failure()).isInstanceOf(ClosedConnectionException.class);
 * }</pre>
 *
 * <p>The thread learns its kernel thread id as it starts (from {@code /proc/thread-self}) and the probe reads that
 * task's state and system call from {@code /proc/self/task/TID}: Linux only, as is the library.
 */
public final class Background<T> {
    /** A call that returns nothing and may throw anything. */
    @FunctionalInterface
    public interface Body { void run() throws Exception; }

    private final Thread thread;
    private final CompletableFuture<T> outcome = new CompletableFuture<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile long tid;

    private Background(String name, Callable<T> body) {
        thread = Thread.ofPlatform().name(name).daemon(true).unstarted(() -> {
            tid = currentTid();
            started.countDown();
            try {
                outcome.complete(body.call());
            } catch (Throwable e) {
                outcome.completeExceptionally(e);
            }
        });
        thread.start();
    }

    /** Starts {@code body} on a new daemon thread named {@code name}. */
    public static <T> Background<T> call(String name, Callable<T> body) { return new Background<>(name, body); }

    /** Starts {@code body} on a new daemon thread named {@code name}. */
    public static Background<Void> run(String name, Body body) {
        return new Background<>(name, () -> {
            body.run();
            return null;
        });
    }

    public Thread thread() { return thread; }

    public void interrupt() { thread.interrupt(); }

    /** Whether the call has ended (returned or thrown). */
    public boolean isDone() { return outcome.isDone(); }

    /**
     * Whether the thread is asleep in the kernel (state S or D) in one of {@code calls} at this moment: blocked,
     * not merely on its way to block.
     */
    public boolean isAsleepIn(Syscall... calls) {
        long id = tid();
        String base = "/proc/self/task/" + id + "/";
        try {
            String stat = Files.readString(Path.of(base + "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            if (state != 'S' && state != 'D') return false;
            String sys = Files.readString(Path.of(base + "syscall")).strip();
            int end = sys.indexOf(' ');
            String first = end < 0 ? sys : sys.substring(0, end);
            if (!first.chars().allMatch(Character::isDigit) || first.isEmpty()) return false; // "running", or "-1" (not in a call)
            int nr = Integer.parseInt(first);
            return Arrays.stream(calls).anyMatch(c -> c.matches(nr));
        } catch (IOException e) {
            return false; // the thread has ended
        }
    }

    /** Waits (at most {@link Await#DEFAULT}) until the thread is asleep in one of {@code calls}; fails if it ends first. */
    public Background<T> awaitAsleepIn(Syscall... calls) {
        Await.until(thread.getName() + " asleep in the kernel in " + Arrays.toString(calls), () -> {
            if (isDone()) throw new AssertionFailedError(thread.getName() + " ended before it blocked: " + describeOutcome());
            return isAsleepIn(calls) ? "asleep" : stateOf();
        }, "asleep"::equals);
        return this;
    }

    /**
     * Waits (at most {@link Await#DEFAULT}) until the thread waits in Java (parked on a lock, a condition or a
     * monitor: states {@code WAITING}, {@code TIMED_WAITING}, {@code BLOCKED}); fails if it ends first. For a
     * call that must wait for another thread of this JVM, such as a second receive behind a first.
     */
    public Background<T> awaitWaitingInJava() {
        Await.until(thread.getName() + " waiting in Java", () -> {
            if (isDone()) throw new AssertionFailedError(thread.getName() + " ended before it waited: " + describeOutcome());
            return thread.getState();
        }, st -> st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING || st == Thread.State.BLOCKED);
        return this;
    }

    /** What the call returned, waiting at most {@link Await#DEFAULT}; fails (with the cause) if it threw. */
    public T result() {
        try {
            return Await.value(outcome);
        } catch (ExecutionException e) {
            throw new AssertionFailedError(thread.getName() + " threw instead of returning", e.getCause());
        }
    }

    /** What the call threw, waiting at most {@link Await#DEFAULT}; fails if it returned. */
    public Throwable failure() {
        try {
            T v = Await.value(outcome);
            throw new AssertionFailedError(thread.getName() + " returned " + v + " instead of throwing");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    /** Waits (at most {@link Await#DEFAULT}) for the thread itself to end, after its outcome. */
    public void awaitEnd() { Await.ended(thread); }

    /** Waits for the thread's end at most {@code d}. */
    public void awaitEnd(Duration d) { Await.ended(thread, d); }

    private long tid() {
        try {
            if (!started.await(Await.DEFAULT.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw new AssertionFailedError(thread.getName() + " never started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionFailedError("interrupted while waiting for " + thread.getName() + " to start");
        }
        return tid;
    }

    private String stateOf() {
        String base = "/proc/self/task/" + tid() + "/";
        try {
            String stat = Files.readString(Path.of(base + "stat"));
            return "state " + stat.charAt(stat.lastIndexOf(')') + 2) + ", syscall " + Files.readString(Path.of(base + "syscall")).strip()
                    + ", java " + thread.getState();
        } catch (IOException e) {
            return "gone";
        }
    }

    private String describeOutcome() {
        try {
            return "returned " + outcome.getNow(null);
        } catch (Exception e) {
            return "threw " + e.getCause();
        }
    }

    private static long currentTid() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // PID/task/TID
            return Long.parseLong(link.substring(link.lastIndexOf('/') + 1));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
