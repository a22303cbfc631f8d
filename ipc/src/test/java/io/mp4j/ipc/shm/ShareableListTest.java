package io.mp4j.ipc.shm;

import io.mp4j.ipc.codec.Codec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Python's ShareableList in one process: items, types, storage limits, Python's methods, travel as a handle. */
class ShareableListTest {
    @TempDir
    static Path dir;

    @Test
    void shouldHoldNumbersBooleansStringsBytesAndNullsAsPythonDoes() {
        ShareableList sl = ShareableList.create(dir, null, Arrays.asList(1, 2L, 2.5, 1.5f, true, "héllo", new byte[] {0, 1, 0}, null));
        assertThat(sl).hasSize(8);
        assertThat(sl.get(0)).isEqualTo(1L);
        assertThat(sl.get(1)).isEqualTo(2L);
        assertThat(sl.get(2)).isEqualTo(2.5);
        assertThat(sl.get(3)).isEqualTo(1.5);
        assertThat(sl.get(4)).isEqualTo(true);
        assertThat(sl.get(5)).isEqualTo("héllo");
        assertThat((byte[]) sl.get(6)).containsExactly(0, 1, 0);
        assertThat(sl.get(7)).isNull();
        assertThat(sl.format()).isEqualTo("qqddxxxxxxx?8s8sxxxxxx?x");
        assertThat(sl.shm().name()).startsWith("psm_");
        assertThat(sl.toString()).startsWith("ShareableList([1, 2, 2.5, 1.5, true, 'héllo', b[0, 1, 0], null], name='psm_");
        sl.shm().unlink();
        sl.close();
    }

    @Test
    void shouldSetItemsOfAnotherTypeWithinTheirStorageAndRefuseWhatDoesNotFit() {
        ShareableList sl = ShareableList.create(dir, "sl-set", List.of("abc", 7));
        assertThat(sl.set(0, "12345678")).as("the previous item").isEqualTo("abc");
        assertThat(sl.get(0)).isEqualTo("12345678");
        assertThatThrownBy(() -> sl.set(0, "123456789")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index=0").hasMessageContaining("length=9").hasMessageContaining("capacity=8");
        assertThat(sl.get(0)).as("nothing written").isEqualTo("12345678");
        sl.set(0, 3.25);
        sl.set(1, "x");
        assertThat(sl).containsExactly(3.25, "x");
        sl.set(1, null);
        assertThat(sl.get(1)).isNull();
        assertThatThrownBy(() -> sl.set(1, List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index=1").hasMessageContaining("java.util");
        assertThatThrownBy(() -> sl.set(2, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> sl.add(1)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> ShareableList.create(dir, "sl-bad", List.of(new Object()))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index=0");
        sl.shm().unlink();
    }

    @Test
    void shouldCountAndFindItemsAsPythonsCountAndIndex() {
        ShareableList sl = ShareableList.create(dir, null, List.of(1, "a", 1, new byte[] {2}, 2.0));
        assertThat(sl.count(1)).isEqualTo(2);
        assertThat(sl.count(1L)).isEqualTo(2);
        assertThat(sl.count("a")).isEqualTo(1);
        assertThat(sl.indexOf(new byte[] {2})).isEqualTo(3);
        assertThat(sl.indexOf(2.0)).isEqualTo(4);
        assertThat(sl.indexOf("zz")).isEqualTo(-1);
        assertThat(sl.lastIndexOf(1)).isEqualTo(2);
        sl.shm().unlink();
    }

    @Test
    void shouldTravelAsItsBlocksHandleAndShareItsItems() throws Exception {
        ShareableList sl = ShareableList.create(dir, null, List.of(1, "two"));
        ShareableList copy = (ShareableList) Codec.decode(Codec.encode(sl, ShareableList.class), ShareableList.class);
        copy.set(0, 41L);
        assertThat(sl.get(0)).isEqualTo(41L);
        assertThat(ShareableList.of(sl.shm())).containsExactly(41L, "two");
        SharedMemory plain = SharedMemory.open(dir, List.of(), "not-a-list", true, 64, true);
        assertThatThrownBy(() -> ShareableList.of(plain)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not-a-list");
        plain.unlink();
        sl.shm().unlink();
    }
}
