package io.mp4j.embedding;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.StartMethod;
import org.slf4j.LoggerFactory;

/** A coordinator run by {@link ChildLoggingTest}: a process logs through SLF4J in every start method. */
public final class LoggingMain {
    private LoggingMain() {}

    static void log(String where) {
        LoggerFactory.getLogger(LoggingMain.class).info("logged in {}", where);
    }

    public static void main(String[] a) throws Exception {
        for (StartMethod m : StartMethod.values()) {
            Context ctx = Multiprocessing.getContext(m);
            MpProcess p = ctx.process(LoggingMain::log, m.pythonName() + "-process");
            p.start();
            p.join();
        }
        System.out.println("done");
    }
}
