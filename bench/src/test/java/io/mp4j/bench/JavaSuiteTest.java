package io.mp4j.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class JavaSuiteTest {
    @Test
    void shouldTakeAStartMethodForNotBuiltOnlyWhenEveryResultSaysSo() {
        Result a = Result.notBuilt("x", "", "ms", "lower", "not built yet: start method fork is not built yet; use spawn or thread");
        Result b = Result.notBuilt("y", "", "ms", "lower", "not built yet: start method fork is not built yet; use spawn or thread");
        Result pool = Result.notBuilt("y", "", "ms", "lower", "not built yet: Pool (issue 7)");
        Result measured = Result.of("z", "", "ms", "lower", List.of(1.0));
        assertThat(JavaSuite.methodNotBuilt(List.of(a, b), "fork")).isEqualTo("not built yet: start method fork");
        assertThat(JavaSuite.methodNotBuilt(List.of(a, pool), "fork")).isNull();
        assertThat(JavaSuite.methodNotBuilt(List.of(a, measured), "fork")).isNull();
        assertThat(JavaSuite.methodNotBuilt(List.of(a), "forkserver")).isNull();
        assertThat(JavaSuite.methodNotBuilt(List.of(), "fork")).isNull();
    }
}
