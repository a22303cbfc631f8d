package io.mp4j;

import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Pipe;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists, sets, maps and arrays of scalars handed to a child as arguments travel in the codec's compact form: they
 * arrive equal, as the declared types, and a fresh child JVM decodes them without building Jackson's mapper.
 */
public class CollectionArgumentsTest {
    static List<StartMethod> methods() { return TestMethods.independentOfTheJvmStart(); }

    /**
     * Sends back whether this JVM has built the codec's Jackson mapper (1 or 0), then what it was given and the classes
     * of the containers it got.
     */
    public static void report(Connection back, List<Integer> xs, Map<String, List<Integer>> m, Object others)
            throws Exception {
        int built = -1;   // unknown: a THREAD child runs in the test JVM, which does not open java.lang
        var findLoaded = ClassLoader.class.getDeclaredMethod("findLoadedClass", String.class);
        if (findLoaded.trySetAccessible()) {   // java.lang is open to a child JVM (JvmFlags.CHILD)
            built = findLoaded.invoke(io.mp4j.ipc.codec.Codec.class.getClassLoader(), "io.mp4j.ipc.codec.Codec$MapperHolder") != null ? 1 : 0;
        }
        back.send(Arrays.asList(built, xs, xs.getClass().getName(), m, m.getClass().getName(), others));
    }

    @ParameterizedTest @MethodSource("methods")
    void aChildGetsCollectionsAndArraysOfScalarsEqualAsTheDeclaredTypesAndAFreshJvmDecodesThemWithoutJackson(StartMethod method)
            throws Exception {
        Context ctx = Multiprocessing.getContext(method);
        Pipe pipe = ctx.pipe(false);
        List<Integer> xs = Arrays.asList(1, null, 3);
        Map<String, List<Integer>> m = new TreeMap<>(Map.of("a", List.of(1, 2), "b", List.of()));
        Set<String> names = new LinkedHashSet<>(List.of("z", "y"));
        List<Object> others = List.of(new int[]{4, 5}, names, 6L, 'c');
        MpProcess child = ctx.process(CollectionArgumentsTest::report, pipe.second(), xs, m, others);
        child.start();
        assertThat(pipe.first().poll(Duration.ofSeconds(60))).as("the child's report within 60 s").isTrue();
        Object got = pipe.first().recv();
        assertThat(child.join(Duration.ofSeconds(60))).isTrue();
        assertThat(child.exitCode()).isZero();

        List<?> r = (List<?>) got;
        if (method != StartMethod.THREAD) {   // a THREAD child shares the parent's JVM, whose tests built the mapper
            assertThat(r.get(0)).as("the child built Jackson's mapper (1) or not (0)").isEqualTo(0);
        }
        assertThat(r.get(1)).isEqualTo(xs);
        assertThat(r.get(2)).isEqualTo(method == StartMethod.THREAD ? xs.getClass().getName() : ArrayList.class.getName());
        assertThat(r.get(3)).isEqualTo(m);
        List<Object> back = new ArrayList<>((List<?>) r.get(5));
        assertThat((int[]) back.get(0)).containsExactly(4, 5);
        assertThat(back.get(1)).isInstanceOf(Set.class).asString().isEqualTo("[z, y]");
        assertThat(back.subList(2, 4)).containsExactly(6L, 'c');
    }
}
