package io.mp4j.ipc.shm;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.sync.Lock;
import io.mp4j.ipc.sync.RLock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Segments, Value, Array and SharedMemory in one process (the cross-process tests live in core). */
class SharedMemoryObjectsTest {
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException { dir = io.mp4j.testkit.TestFiles.shmDir("shmtest"); }

    @AfterAll
    static void tearDown() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** A declared type for a list of values. */
    @SuppressWarnings("unused")
    private static List<Value> listOfValues;

    private static <T> T travel(T v, Class<T> type) {
        return type.cast(Codec.decode(Codec.encode(v, type), type));
    }

    @Test
    void shouldWriteTheHeaderAndCheckItOnAttach() throws IOException {
        Segment s = Segment.create(dir.resolve("seg-a"), SegmentDescriptor.KIND_RAW, 100, true);
        assertThat(s.memory().get(ValueLayout.JAVA_INT, 0)).isEqualTo(SegmentDescriptor.MAGIC);
        assertThat(s.memory().get(ValueLayout.JAVA_INT, 4)).isEqualTo(SegmentDescriptor.VERSION);
        Segment same = Segment.attach(s.path(), true);
        assertThat(same.payloadLength()).isEqualTo(100);
        s.memory().set(ValueLayout.JAVA_INT, 4, 7);
        assertThatThrownBy(() -> Segment.attach(s.path(), true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version not compatible: expected=1 found=7");
        Files.write(dir.resolve("seg-b"), new byte[100]);
        assertThatThrownBy(() -> Segment.attach(dir.resolve("seg-b"), true)).hasMessageContaining("not a shared segment");
        assertThatThrownBy(() -> Segment.attach(dir.resolve("nope"), true)).hasMessageContaining("no such shared segment");
        assertThatThrownBy(() -> Segment.create(s.path(), 0, 8, true)).hasMessageContaining("exists already");
        assertThatThrownBy(() -> Segment.create(dir.resolve("seg-c"), 0, -1, true)).hasMessageContaining("size=-1");
        s.close();
        same.close();
        assertThat(s.unlink()).isTrue();
        assertThat(s.unlink()).isFalse();
    }

    @Test
    void shouldReadBackEveryTypeCode() {
        Object[][] cases = {{'b', -5, (byte) -5}, {'B', 200, (short) 200}, {'h', -300, (short) -300}, {'H', 60000, 60000},
                {'i', -7, -7}, {'I', 4_000_000_000L, 4_000_000_000L}, {'l', -8L, -8L}, {'L', -1L, -1L}, {'q', 1L << 40, 1L << 40},
                {'Q', 5L, 5L}, {'f', 1.5f, 1.5f}, {'d', 2.25, 2.25}, {'c', 'x', (byte) 'x'}, {'?', true, true}};
        for (Object[] c : cases) {
            Value v = Value.create(dir, (Character) c[0], c[1], false);
            assertThat(v.get()).as("typecode %s", c[0]).isEqualTo(c[2]);
            assertThat(travel(v, Value.class).get()).isEqualTo(c[2]);
        }
    }

    @Test
    void shouldRejectBadTypeCodesAndValuesOutOfRange() {
        assertThatThrownBy(() -> Value.create(dir, 'x', 0, true)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("typecode='x'");
        assertThatThrownBy(() -> Value.create(dir, 'b', 300, true)).hasMessageContaining("value=300");
        assertThatThrownBy(() -> Value.create(dir, 'i', 1.5, true)).hasMessageContaining("holds integers: value=1.5");
        assertThatThrownBy(() -> Value.create(dir, 'i', "s", true)).hasMessageContaining("cannot hold a String");
        assertThatThrownBy(() -> Value.create(dir, 'i', 0, "yes")).hasMessageContaining("lock must be true, false");
        Value v = Value.create(dir, 'd', 0, false);
        assertThatThrownBy(v::getLock).isInstanceOf(IllegalStateException.class).hasMessageContaining("lock=false");
        assertThatThrownBy(() -> v.getAndAdd(1)).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("typecode='d'");
        assertThatThrownBy(() -> v.set((Object) null)).hasMessageContaining("cannot be null");
    }

    @Test
    void shouldUpdateIntAndLongCellsAtomically() {
        Value i = Value.create(dir, 'i', 5, true);
        assertThat(i.getAndAdd(3)).isEqualTo(5);
        assertThat(i.compareAndSet(8, 10)).isTrue();
        assertThat(i.compareAndSet(8, 11)).isFalse();
        assertThat(i.getInt()).isEqualTo(10);
        Value q = Value.create(dir, 'q', 1L << 40, true);
        assertThat(q.getAndAdd(1)).isEqualTo(1L << 40);
        assertThat(q.getLong()).isEqualTo((1L << 40) + 1);
    }

    @Test
    void shouldTravelAsItsClassNameAndHandleWithoutJacksonAndStillInsideOtherValues() throws IOException {
        Value v = Value.create(dir, 'q', 7L, true);
        Array a = Array.create(dir, 'd', 3, null);
        byte[] slot = Codec.encode(v, Value.class);
        assertThat(slot[0]).as("the handle slot, not Jackson's").isEqualTo((byte) 22);
        assertThat(new String(slot, java.nio.charset.StandardCharsets.ISO_8859_1)).contains(Value.class.getName());
        Value back = travel(v, Value.class);
        back.set(8L);
        assertThat(v.getLong()).isEqualTo(8L);
        assertThat(back.getLock()).isEqualTo(v.getLock());
        assertThat(Codec.encode(a, Object.class)[0]).as("under a wider declared type too").isEqualTo((byte) 22);
        assertThat(((Array) Codec.decode(Codec.encode(a, Object.class), Object.class)).length()).isEqualTo(3);
        // inside a list: Jackson's form, as before
        java.lang.reflect.Type listOfValues;
        try {
            listOfValues = SharedMemoryObjectsTest.class.getDeclaredField("listOfValues").getGenericType();
        } catch (NoSuchFieldException e) {
            throw new AssertionError(e);
        }
        List<?> list = (List<?>) Codec.decode(Codec.encode(List.of(v), listOfValues), listOfValues);
        assertThat(list.getFirst()).isInstanceOf(Value.class);
        ((Value) list.getFirst()).set(9L);
        assertThat(v.getLong()).isEqualTo(9L);
    }

    @Test
    void shouldRefuseAHandleOfAnotherTypeAndLeaveTheNextSlotReadable() throws IOException {
        Value v = Value.create(dir, 'i', 1, false);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            Codec.writeSlot(out, v, Value.class);
            Codec.writeSlot(out, "next", String.class);
        }
        assertThatThrownBy(() -> Codec.encode(v, Array.class)).as("refused in the sender too")
                .isInstanceOf(io.mp4j.ipc.codec.CodecException.class).hasMessageContaining(Array.class.getName());
        var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()));
        assertThatThrownBy(() -> Codec.readSlot(in, Array.class, null)).isInstanceOf(io.mp4j.ipc.codec.CodecException.class)
                .hasMessageContaining(Value.class.getName()).hasMessageContaining("not assignable");
        assertThat(Codec.readSlot(in, String.class, null)).isEqualTo("next");
    }

    @Test
    void shouldPutANewRLockBesideTheValueOrUseTheGivenLock() {
        Value own = Value.create(dir, 'i', 0, true);
        assertThat(own.getLock()).isInstanceOf(RLock.class);
        assertThat(own.hasOwnLock()).isTrue();
        Lock lock = Lock.create(dir);
        Value shared = Value.create(dir, 'i', 0, lock);
        assertThat(shared.getLock()).isSameAs(lock);
        Value copy = travel(shared, Value.class);
        assertThat(copy.getLock()).isEqualTo(lock);
        try (var held = own.getLock().hold()) {
            own.set(own.getInt() + 1);
            assertThat(travel(own, Value.class).getLock().tryLock()).isTrue(); // same thread: reentrant
            own.getLock().unlock();
        }
        assertThat(own.getLock().isLocked()).isFalse();
    }

    @Test
    void shouldReadAndWriteArraysByIndexAndRange() {
        Array a = Array.create(dir, 'i', new int[]{1, 2, 3, 4}, true);
        assertThat(a.length()).isEqualTo(4);
        a.set(0, 10);
        a.setRange(2, List.of(30, 40));
        assertThat((int[]) a.toArray()).containsExactly(10, 2, 30, 40);
        assertThat((int[]) a.toArray(1, 3)).containsExactly(2, 30);
        assertThat(a.toList()).containsExactly(10, 2, 30, 40);
        assertThat(a.toString()).isEqualTo("[10, 2, 30, 40]");
        assertThat(a.getAndAdd(1, 5)).isEqualTo(2);
        assertThat(a.compareAndSet(1, 7, 8)).isTrue();
        assertThat(travel(a, Array.class).toIntArray()).containsExactly(10, 8, 30, 40);
        Array d = Array.create(dir, 'd', 3, false);
        d.set(2, 1.5);
        assertThat(d.toDoubleArray()).containsExactly(0, 0, 1.5);
        Array c = Array.create(dir, 'c', "hi", false);
        assertThat(c.getString()).isEqualTo("hi");
        Array flags = Array.create(dir, '?', new boolean[]{true, false}, false);
        assertThat((boolean[]) flags.toArray()).containsExactly(true, false);
    }

    @Test
    void shouldRejectBadIndexesSizesAndInitializers() {
        Array a = Array.create(dir, 'i', 2, true);
        assertThatThrownBy(() -> a.get(2)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index=2 length=2");
        assertThatThrownBy(() -> a.set(-1, 0)).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("index=-1");
        assertThatThrownBy(() -> a.setRange(1, new int[]{1, 2})).isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("to=3");
        assertThatThrownBy(() -> a.toArray(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> Array.create(dir, 'i', -1, true)).hasMessageContaining("size=-1");
        assertThatThrownBy(() -> Array.create(dir, 'i', "abc", true)).hasMessageContaining("must be a size, an array or a collection");
        assertThatThrownBy(() -> Array.create(dir, 'b', new int[]{1, 1000}, true)).hasMessageContaining("value=1000");
        assertThatThrownBy(() -> Array.create(dir, 'i', 2, false).getLock()).hasMessageContaining("lock=false");
    }

    @Test
    void shouldCreateAttachCloseAndUnlinkSharedMemoryByName() throws Exception {
        SharedMemory a = SharedMemory.open(dir, List.of(dir), "block", true, 10);
        assertThat(a.size()).isEqualTo(10);
        a.buf().set(ValueLayout.JAVA_BYTE, 9, (byte) 7);
        SharedMemory b = SharedMemory.open(null, List.of(dir), "/block", false, 0);
        assertThat(b.buf().get(ValueLayout.JAVA_BYTE, 9)).isEqualTo((byte) 7);
        assertThat(travel(a, SharedMemory.class).name()).isEqualTo("block");
        assertThatThrownBy(() -> SharedMemory.open(dir, List.of(dir), "block", true, 10)).hasMessageContaining("exists already: name=block");
        assertThatThrownBy(() -> SharedMemory.open(dir, List.of(dir), "x", true, 0)).hasMessageContaining("size=0");
        assertThatThrownBy(() -> SharedMemory.open(dir, List.of(dir), "a/b", true, 1)).hasMessageContaining("invalid shared memory name");
        assertThatThrownBy(() -> SharedMemory.open(null, List.of(dir), null, false, 0)).hasMessageContaining("'name' can only be null");
        b.close();
        b.close();
        assertThatThrownBy(() -> b.buf().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        a.unlink();
        assertThat(a.buf().get(ValueLayout.JAVA_BYTE, 9)).as("still mapped after unlink").isEqualTo((byte) 7);
        assertThatThrownBy(a::unlink).isInstanceOf(IllegalStateException.class).hasMessageContaining("unlinked already");
        assertThatThrownBy(() -> SharedMemory.open(null, List.of(dir), "block", false, 0))
                .as("Python's FileNotFoundError").isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining("no shared memory with this name: name=block");
        a.close();
        SharedMemory anon = SharedMemory.open(dir, List.of(dir), null, true, 4);
        assertThat(anon.name()).startsWith("psm_");
        anon.close();
        anon.unlink();
    }
}
