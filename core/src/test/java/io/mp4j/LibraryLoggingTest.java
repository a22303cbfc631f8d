package io.mp4j;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.mp4j.core.pool.PoolEngine;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the library logs: a replaced pool worker at WARN with its cause. */
class LibraryLoggingTest {
    static List<StartMethod> methods() { return TestMethods.list(); }

    @ParameterizedTest @MethodSource("methods")
    void shouldLogAReplacedWorkerAtWarnWithItsCause(StartMethod m) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(PoolEngine.class);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        logger.addAppender(seen);
        Pool pool = Multiprocessing.getContext(m).pool(1);
        try {
            assertThatThrownBy(() -> pool.apply(PoolTasks::exitWith, 7)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> pool.apply(PoolTasks::outOfMemory, 1)).isInstanceOf(ExecutionException.class);
            assertThat(pool.apply(PoolTasks::square, 3)).isEqualTo(9);
            List<String> warnings = seen.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("exited with code 7").contains("PoolTasks.exitWith")
                    .contains("a new worker replaces it"));
            assertThat(warnings).anySatisfy(w -> assertThat(w).contains("OutOfMemoryError").contains("a new worker replaces it"));
        } finally {
            logger.detachAppender(seen);
            pool.terminate();
            assertThat(pool.join(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
