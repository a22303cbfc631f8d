package io.mp4j;

import io.mp4j.ipc.shm.ShareableList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Python's ShareableList shared with a child, as an argument and by its block's name, in every start method. */
class ShareableListProcessTest {
    /** In the child: doubles the number, upper-cases the string through the argument; flips the flag by name. */
    static void update(ShareableList sl, String name) throws Exception {
        sl.set(0, (Long) sl.get(0) * 2);
        sl.set(1, ((String) sl.get(1)).toUpperCase());
        ShareableList byName = Multiprocessing.getContext().shareableList(name);
        byName.set(2, !(Boolean) byName.get(2));
        byName.set(3, 0.5);
    }

    @ParameterizedTest
    @EnumSource(StartMethod.class)
    void shouldShowTheParentWhatAChildWroteThroughTheArgumentAndByName(StartMethod m) throws Exception {
        Context ctx = Multiprocessing.getContext(m);
        ShareableList sl = ctx.shareableList(Arrays.asList(21, "abc", false, null));
        MpProcess p = ctx.process(ShareableListProcessTest::update, sl, sl.shm().name());
        p.start();
        assertThat(p.join(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitCode()).isZero();
        assertThat(sl).containsExactly(42L, "ABC", true, 0.5);
        assertThat(ctx.shareableList(sl.shm().name())).as("opened by name in the parent").containsExactly(42L, "ABC", true, 0.5);
        sl.shm().unlink();
        sl.close();
    }
}
