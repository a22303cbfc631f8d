package io.mp4j;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error for {@code map}, {@code imap}, {@code starmap} (drawn by the
 * {@code me.tongfei:progressbar} library), stepping once per item as results come back.
 *
 * <pre>{@code
 * List<Integer> counts = pool.map(Primes::count, ranges, 1, Progress.bar("primes"));
 * }</pre>
 */
public final class Progress {
    /** No progress bar. */
    public static final Progress NONE = new Progress(null);

    private final String taskName;

    private Progress(String taskName) { this.taskName = taskName; }

    /**
     * A progress bar named {@code taskName}.
     *
     * @param taskName the bar's name
     * @return the bar
     */
    public static Progress bar(String taskName) {
        if (taskName == null) throw new IllegalArgumentException("taskName must not be null");
        return new Progress(taskName);
    }

    boolean enabled() { return taskName != null; }

    /** Starts a bar for {@code max} items, or returns {@code null} for {@link #NONE}. */
    ProgressBar start(int max) {
        if (taskName == null) return null;
        return new ProgressBarBuilder().setTaskName(taskName).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(100).continuousUpdate()
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
    }
}
