package io.mp4j.core.pool;

import io.mp4j.spi.ResultSink;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dispatcher's decisions, without workers, queues or threads. */
class DispatcherTest {
    static Integer twice(Integer x) { return 2 * x; }

    @FunctionalInterface
    interface F extends io.mp4j.function.Fn<Integer, Integer> { }

    private static final FunctionTable TABLE = new FunctionTable();

    private static final ResultSink NOWHERE = new ResultSink() {
        @Override public void value(int index, Object value) { }

        @Override public void failed(int index, Throwable error) { }

        @Override public void cancelled(Throwable reason) { }
    };

    private static Batch job(int items, int chunksize) {
        List<Object[]> args = new ArrayList<>();
        for (int i = 0; i < items; i++) args.add(new Object[]{i});
        return Batch.encode(TABLE.entry((F) DispatcherTest::twice), args, items, chunksize, 0, NOWHERE);
    }

    private static String ranges(List<Dispatcher.Task> ts) {
        List<String> out = new ArrayList<>();
        for (Dispatcher.Task t : ts) out.add(t.from + "-" + t.to);
        return String.join(" ", out);
    }

    private static List<Dispatcher.Task> drain(Dispatcher d) {
        List<Dispatcher.Task> out = new ArrayList<>();
        for (Dispatcher.Task t; (t = d.next()) != null; ) out.add(t);
        return out;
    }

    @Test
    void jobsAreCutIntoTasksOfTheirChunksizeInSubmissionOrderWithIncreasingIds() {
        Dispatcher d = new Dispatcher(Integer.MAX_VALUE);
        Batch a = job(7, 3), b = job(2, 5);
        d.add(a);
        d.add(b);
        d.add(job(0, 1));
        assertThat(d.waitingItems()).isEqualTo(9);
        List<Dispatcher.Task> ts = drain(d);
        assertThat(ranges(ts)).isEqualTo("0-3 3-6 6-7 0-2");
        assertThat(ts).extracting(t -> t.batch).containsExactly(a, a, a, b);
        assertThat(ts).extracting(t -> t.id).containsExactly(1L, 2L, 3L, 4L);
        assertThat(d.waitingItems()).isZero();
        assertThat(d.outstandingTasks()).isEqualTo(4);
        assertThat(d.finished(2)).isSameAs(ts.get(1));
        assertThat(d.finished(2)).as("finished once").isNull();
        assertThat(d.outstandingTasks()).isEqualTo(3);
    }

    @Test
    void noTaskHoldsMoreThanTheLimitWhateverTheChunksize() {
        Dispatcher d = new Dispatcher(2); // maxTasksPerChild 2, or 1 under a task timeout
        d.add(job(5, 4));
        assertThat(ranges(drain(d))).isEqualTo("0-2 2-4 4-5");
        assertThatThrownBy(() -> new Dispatcher(0)).hasMessageContaining("maxItemsPerTask=0");
    }

    @Test
    void aTaskThatCouldNotBePublishedGoesBackToTheFrontAsItWas() {
        Dispatcher d = new Dispatcher(Integer.MAX_VALUE);
        d.add(job(6, 2));
        Dispatcher.Task first = d.next();
        Dispatcher.Task second = d.next();
        d.putBack(second);
        assertThat(d.outstandingTasks()).isEqualTo(1);
        assertThat(d.waitingItems()).isEqualTo(4);
        assertThat(ranges(drain(d))).isEqualTo("2-4 4-6");
        assertThat(first.from).isZero();
    }

    @Test
    void aTaskLeftBehindByAWorkerThePoolEndedRunsAgainFirstButNotOnceItsJobIsCancelled() {
        Dispatcher d = new Dispatcher(Integer.MAX_VALUE);
        Batch a = job(2, 1), b = job(1, 1);
        d.add(a);
        d.add(b);
        Dispatcher.Task t0 = d.next();
        assertThat(d.requeue(t0.id)).isTrue();
        assertThat(d.requeue(t0.id)).as("no longer outstanding").isFalse();
        List<Dispatcher.Task> ts = drain(d);
        assertThat(ranges(ts)).isEqualTo("0-1 1-2 0-1");
        assertThat(ts.get(0).batch).isSameAs(a);
        a.markCancelled();
        assertThat(d.requeue(ts.get(1).id)).as("a cancelled job's task").isFalse();
    }

    @Test
    void cancellingAJobDropsWhatWaitsAndHandsBackWhatIsOutstanding() {
        Dispatcher d = new Dispatcher(Integer.MAX_VALUE);
        Batch a = job(6, 2), b = job(2, 1);
        d.add(a);
        d.add(b);
        Dispatcher.Task t = d.next();
        a.markCancelled();
        assertThat(d.cancel(a)).containsExactly(t);
        assertThat(d.waitingItems()).isEqualTo(2);
        assertThat(ranges(drain(d))).isEqualTo("0-1 1-2");
        assertThat(d.finished(t.id)).isNull();
    }

    @Test
    void aCancelledJobStillWaitingIsSkipped() {
        Dispatcher d = new Dispatcher(Integer.MAX_VALUE);
        Batch a = job(3, 1), b = job(1, 1);
        d.add(a);
        d.add(b);
        a.markCancelled();
        assertThat(drain(d)).extracting(x -> x.batch).containsExactly(b);
        assertThat(d.waitingItems()).isZero();
    }

    @Test
    void unfinishedJobsAreThoseWithEveryItemWaitingOrOutstanding() {
        Dispatcher d = new Dispatcher(Integer.MAX_VALUE);
        Batch a = job(4, 2), b = job(1, 1), c = job(1, 1);
        d.add(a);
        d.add(b);
        d.add(c);
        Dispatcher.Task first = d.next();
        assertThat(d.unfinished()).containsExactly(a, b, c);
        d.finished(first.id);
        assertThat(d.unfinished()).as("one of a's items finished").containsExactly(b, c);
        c.markCancelled();
        assertThat(d.unfinished()).containsExactly(b);
        assertThat(d.outstandingOf(a)).isEmpty();
        d.next();
        assertThat(d.outstandingOf(a)).hasSize(1);
    }

    @Test
    void clearForgetsEverythingAndNamesEachJobOnce() {
        Dispatcher d = new Dispatcher(Integer.MAX_VALUE);
        Batch a = job(4, 1), b = job(1, 1);
        d.add(a);
        d.add(b);
        d.next();
        d.next();
        assertThat(d.clear()).containsExactlyInAnyOrder(a, b);
        assertThat(d.isEmpty()).isTrue();
        assertThat(d.waitingItems()).isZero();
        assertThat(Collections.frequency(List.copyOf(d.clear()), a)).isZero();
    }
}
