package io.mp4j.ipc.codec;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The codec's compact form for the JDK's lists, sets and maps of scalars and arrays of them: what travels in it (no
 * Jackson on either side), what each declared type gets back, and what still goes to Jackson.
 */
class CompactFormTest {
    private static final byte COLLECTION = 11, MAP = 12, ARRAY = 13, JACKSON = 20;

    /** Declared types with their type arguments, read from these fields. */
    @SuppressWarnings("unused")
    private static final class Declared {
        List<Integer> ints;
        List<Long> longs;
        List<Object> objects;
        Set<String> strings;
        SortedSet<String> sortedStrings;
        Map<String, Integer> stringToInt;
        Map<Integer, String> intToString;
        NavigableMap<String, Integer> navigable;
        Map<String, List<Integer>> stringToInts;
        List<int[]> intArrays;
        Collection<? extends Number> numbers;
        List<Map<String, Set<Long>>> deep;
        List<LocalDate> dates;
    }

    private static Type type(String field) {
        try {
            return Declared.class.getDeclaredField(field).getGenericType();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
    }

    private static Object roundTrip(Object value, Type declared) {
        return Codec.decode(Codec.encode(value, declared), declared);
    }

    private static byte kind(Object value, Type declared) { return Codec.encode(value, declared)[0]; }

    @Test
    void listsSetsAndMapsOfScalarsTravelInTheCompactFormAndComeBackEqualAsTheDeclaredType() {
        assertThat(kind(List.of(1, 2, 3), type("ints"))).isEqualTo(COLLECTION);
        assertThat(roundTrip(List.of(1, 2, 3), type("ints"))).isInstanceOf(ArrayList.class).isEqualTo(List.of(1, 2, 3));
        assertThat(roundTrip(new LinkedList<>(List.of(1, 2)), LinkedList.class)).isInstanceOf(LinkedList.class).isEqualTo(List.of(1, 2));

        Set<String> s = new LinkedHashSet<>(List.of("c", "a", "b"));
        assertThat(kind(s, type("strings"))).isEqualTo(COLLECTION);
        assertThat(roundTrip(s, type("strings"))).isInstanceOf(LinkedHashSet.class).asString().isEqualTo("[c, a, b]");
        assertThat(roundTrip(new TreeSet<>(s), type("sortedStrings"))).isInstanceOf(TreeSet.class).asString().isEqualTo("[a, b, c]");
        assertThat(roundTrip(new HashSet<>(s), HashSet.class)).isInstanceOf(HashSet.class).isEqualTo(s);

        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("z", 26);
        m.put("a", 1);
        assertThat(kind(m, type("stringToInt"))).isEqualTo(MAP);
        assertThat(roundTrip(m, type("stringToInt"))).isInstanceOf(LinkedHashMap.class).asString().isEqualTo("{z=26, a=1}");
        assertThat(roundTrip(Map.of(2, "two"), type("intToString"))).isEqualTo(Map.of(2, "two"));
        assertThat(roundTrip(new TreeMap<>(m), type("navigable"))).isInstanceOf(TreeMap.class).asString().isEqualTo("{a=1, z=26}");
        assertThat(roundTrip(new HashMap<>(m), HashMap.class)).isInstanceOf(HashMap.class).isEqualTo(m);
        assertThat(roundTrip(List.of(), type("ints"))).isEqualTo(List.of());
        assertThat(roundTrip(Map.of(), type("stringToInt"))).isEqualTo(Map.of());
    }

    @Test
    void whereObjectIsDeclaredEveryElementKeepsItsClassAndASetOrSortedContainerKeepsItsKind() {
        List<Object> mixed = Arrays.asList(1, 2L, 3.0, 4.0f, (short) 5, (byte) 6, 'x', true, "s", new byte[]{7});
        assertThat(kind(mixed, Object.class)).isEqualTo(COLLECTION);
        @SuppressWarnings("unchecked") List<Object> back = (List<Object>) roundTrip(mixed, Object.class);
        assertThat(back).hasSize(mixed.size());
        for (int i = 0; i < mixed.size() - 1; i++) assertThat(back.get(i)).isInstanceOf(mixed.get(i).getClass()).isEqualTo(mixed.get(i));
        assertThat((byte[]) back.get(mixed.size() - 1)).containsExactly(7);

        assertThat(roundTrip(Set.of("a"), Object.class)).isInstanceOf(LinkedHashSet.class).isEqualTo(Set.of("a"));
        assertThat(roundTrip(new TreeSet<>(Set.of(3, 1)), Object.class)).isInstanceOf(TreeSet.class).isEqualTo(Set.of(1, 3));
        assertThat(roundTrip(new TreeMap<>(Map.of("b", 2, "a", 1)), Object.class)).isInstanceOf(TreeMap.class);
        assertThat(roundTrip(Map.of(5L, 'c'), Object.class)).isEqualTo(Map.of(5L, 'c'));
        assertThat(roundTrip(Set.of(1, 2), Collection.class)).isInstanceOf(Set.class).isEqualTo(Set.of(1, 2));
        assertThat(roundTrip(List.of(1, 2.5), type("numbers"))).isEqualTo(List.of(1, 2.5));
    }

    @Test
    void nullElementsKeysAndValuesTravelAndComeBackAsNulls() {
        List<Integer> withNull = Arrays.asList(1, null, 3);
        assertThat(kind(withNull, type("ints"))).isEqualTo(COLLECTION);
        assertThat(roundTrip(withNull, type("ints"))).isEqualTo(withNull);
        Map<String, Integer> m = new HashMap<>();
        m.put(null, 1);
        m.put("b", null);
        assertThat(kind(m, type("stringToInt"))).isEqualTo(MAP);
        assertThat(roundTrip(m, type("stringToInt"))).isEqualTo(m);
        Set<String> s = new HashSet<>(Arrays.asList("a", null));
        assertThat(roundTrip(s, type("strings"))).isEqualTo(s);
        String[] strings = {"a", null};
        assertThat((String[]) roundTrip(strings, Object.class)).containsExactly("a", null);
    }

    @Test
    void arraysOfScalarsTravelInTheCompactFormAsArraysOfTheSameComponentType() {
        Object[] arrays = {new int[]{1, -2}, new long[]{3L}, new double[]{0.5}, new float[]{1.5f}, new short[]{7},
                new char[]{'a', 'b'}, new boolean[]{true, false}, new String[]{"x"}, new Integer[]{1, null},
                new Long[]{2L}, new Double[]{}, new Character[]{'q'}, new Boolean[]{false}, new Byte[]{1}, new Short[]{2},
                new Float[]{3f}};
        for (Object a : arrays) {
            assertThat(kind(a, Object.class)).as(a.getClass().getSimpleName()).isEqualTo(ARRAY);
            assertThat(kind(a, a.getClass())).as(a.getClass().getSimpleName()).isEqualTo(ARRAY);
            Object back = roundTrip(a, a.getClass());
            assertThat(back.getClass()).isEqualTo(a.getClass());
            assertThat(back).isEqualTo(a);
            assertThat(roundTrip(a, Object.class)).isEqualTo(a);
        }
        assertThat(roundTrip(new String[]{"a"}, Object[].class)).isInstanceOf(String[].class);
        assertThat(kind(List.of(new int[]{1}, new int[]{2, 3}), type("intArrays"))).isEqualTo(COLLECTION);
        @SuppressWarnings("unchecked") List<int[]> back = (List<int[]>) roundTrip(List.of(new int[]{1}, new int[]{2, 3}), type("intArrays"));
        assertThat(back).hasSize(2);
        assertThat(back.get(1)).containsExactly(2, 3);
    }

    @Test
    void containersNestUpToTheLimitInTheCompactFormAndBeyondItGoToJacksonAndStillArriveEqual() {
        Map<String, List<Integer>> m = Map.of("a", List.of(1, 2), "b", List.of());
        assertThat(kind(m, type("stringToInts"))).isEqualTo(MAP);
        assertThat(roundTrip(m, type("stringToInts"))).isEqualTo(m);
        List<Map<String, Set<Long>>> deep = List.of(Map.of("k", Set.of(1L, 2L)));
        assertThat(roundTrip(deep, type("deep"))).isEqualTo(deep);

        Object nested = 1;
        for (int i = 0; i < CompactForm.MAX_DEPTH; i++) nested = List.of(nested);
        assertThat(kind(nested, Object.class)).isEqualTo(COLLECTION);
        assertThat(roundTrip(nested, Object.class)).isEqualTo(nested);
        Object tooDeep = List.of(nested);
        assertThat(kind(tooDeep, Object.class)).isEqualTo(JACKSON);
        assertThat(roundTrip(tooDeep, Object.class)).isEqualTo(tooDeep);
    }

    @Test
    void whatTheCompactFormDoesNotCoverGoesToJacksonAsBefore() {
        // elements that are no scalars
        List<LocalDate> dates = List.of(LocalDate.of(2026, 12, 7));
        assertThat(kind(dates, type("dates"))).isEqualTo(JACKSON);
        assertThat(roundTrip(dates, type("dates"))).isEqualTo(dates);
        assertThat(kind(List.of(BigDecimal.ONE), Object.class)).isEqualTo(JACKSON);
        // an element of another class than the declared one: Jackson refuses it in the sender, as it always did
        @SuppressWarnings({"unchecked", "rawtypes"}) List<Long> lying = (List) List.of(1, 2);
        assertThatThrownBy(() -> Codec.encode(lying, type("longs")))
                .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Integer cannot be cast");
        // a sorted set with its own order; a user's subclass; a deque; nested arrays
        TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.addAll(List.of("a", "b"));
        assertThat(kind(reversed, type("sortedStrings"))).isEqualTo(JACKSON);
        assertThat(kind(new ArrayList<Integer>() {}, type("ints"))).isNotEqualTo(COLLECTION);
        assertThat(kind(new ArrayDeque<>(List.of(1)), Object.class)).isEqualTo(JACKSON);
        assertThat(kind(new int[][]{{1}}, Object.class)).isNotEqualTo(ARRAY);
        assertThat(roundTrip(new int[][]{{1}, {2, 3}}, int[][].class)).isEqualTo(new int[][]{{1}, {2, 3}});
        // a list holding itself ends at the nesting limit and goes to Jackson, which refuses it in the sender
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertThatThrownBy(() -> Codec.encode(self, Object.class)).isInstanceOf(CodecException.class);
    }

    @Test
    void aCorruptOrMismatchedCompactSlotFailsWithACodecExceptionNamingWhatIsWrong() throws IOException {
        byte[] map = Codec.encode(Map.of("a", 1), Object.class);
        assertThatThrownBy(() -> Codec.decode(map, List.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("java.util.List is declared");
        byte[] mixed = Codec.encode(new LinkedHashSet<>(List.of(1, "b")), Object.class);
        assertThatThrownBy(() -> Codec.decode(mixed, TreeSet.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("cannot decode a java.util.TreeSet");

        assertThatThrownBy(() -> Codec.decode(bytes(COLLECTION, 9, 0), Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("collection shape 9");
        assertThatThrownBy(() -> Codec.decode(bytes(COLLECTION, 0, -1), Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("-1 elements");
        assertThatThrownBy(() -> Codec.decode(bytes(ARRAY, 99, 0), Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("array component 99");
        // a Jackson slot inside a compact list is no element of the form
        assertThatThrownBy(() -> Codec.decode(bytes(COLLECTION, 0, 1, JACKSON), Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("where a scalar was expected");
        // a boxed array holding an element of another class
        var bos = new ByteArrayOutputStream();
        var out = new DataOutputStream(bos);
        out.writeByte(ARRAY);
        out.writeByte(64 | 5);  // Integer[]
        out.writeInt(1);
        Codec.writeSlot(out, "not an int", null);
        assertThatThrownBy(() -> Codec.decode(bos.toByteArray(), Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("a java.lang.String in a java.lang.Integer[]");
        // nested beyond the limit on the wire
        var deep = new ByteArrayOutputStream();
        var d = new DataOutputStream(deep);
        for (int i = 0; i <= CompactForm.MAX_DEPTH; i++) {
            d.writeByte(COLLECTION);
            d.writeByte(0);
            d.writeInt(1);
        }
        d.writeByte(0);
        assertThatThrownBy(() -> Codec.decode(deep.toByteArray(), Object.class))
                .isInstanceOf(CodecException.class).hasMessageContaining("nested deeper than");
    }

    /** A slot's first bytes: kind, shape, then a count as an int, then any further bytes. */
    private static byte[] bytes(int kind, int shape, int count, int... more) throws IOException {
        var bos = new ByteArrayOutputStream();
        var out = new DataOutputStream(bos);
        out.writeByte(kind);
        out.writeByte(shape);
        out.writeInt(count);
        for (int b : more) out.writeByte(b);
        return bos.toByteArray();
    }
}
