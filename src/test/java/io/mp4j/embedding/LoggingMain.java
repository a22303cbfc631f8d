package io.mp4j.embedding;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.Pool;
import io.mp4j.StartMethod;
import org.slf4j.LoggerFactory;

/** A coordinator run by {@link ChildLoggingTest}: a process and a pool worker log through SLF4J in every start method. */
public final class LoggingMain {
    private LoggingMain() {}

    static void log(String where) {
        LoggerFactory.getLogger(LoggingMain.class).info("logged in {}", where);
    }

    static String logInWorker(String where) {
        log(where);
        return where;
    }

    public static void main(String[] a) throws Exception {
        for (StartMethod m : StartMethod.values()) {
            Context ctx = Multiprocessing.getContext(m);
            MpProcess p = ctx.process(LoggingMain::log, m.pythonName() + "-process");
            p.start();
            p.join();
            try (Pool pool = ctx.pool(1)) {
                pool.apply(LoggingMain::logInWorker, m.pythonName() + "-pool");
            }
        }
        System.out.println("done");
    }
}
