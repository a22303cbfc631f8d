package io.mp4j.worker.pool;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.worker.task.FunctionRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A worker's own failures: what it leaves for the pool when it ends with an error. */
class WorkerLoopTest {
    @FunctionalInterface
    interface IntFn extends Serializable { Integer apply(Integer x); }

    static Integer same(Integer x) { return x; }

    @Test
    void shouldLeaveItsLastWordsWhereThePoolLooksWhenAnErrorEndsIt(@TempDir Path dir) throws Exception {
        // a task whose argument claims 2 GiB: reading it fails with an OutOfMemoryError, which ends the worker
        WireBuffer b = new WireBuffer(256);
        int s = PoolWire.begin(b, PoolWire.INIT);
        b.writeBoolean(false);
        PoolWire.end(b, s);
        s = PoolWire.begin(b, PoolWire.FUNC);
        b.writeInt(1);
        FunctionRef.of((IntFn) WorkerLoopTest::same).write(b);
        PoolWire.end(b, s);
        s = PoolWire.begin(b, PoolWire.TASK);
        b.writeLong(1);
        b.writeInt(1);
        b.writeLong(0);
        b.writeInt(1);
        b.writeShort(1);     // one argument
        b.writeByte(10);     // a byte[] slot...
        b.writeInt(Integer.MAX_VALUE); // ...of 2 GiB
        PoolWire.end(b, s);
        String base = dir.resolve("w").toString();
        Files.write(Path.of(base + ".in"), java.util.Arrays.copyOf(b.array(), b.size()));
        Files.createFile(Path.of(base + ".out")); // plain files stand in for the pool's named pipes
        assertThatThrownBy(() -> WorkerLoop.run(base, "token", 1, false)).isInstanceOf(OutOfMemoryError.class);
        assertThat(Files.readString(Path.of(base + ".died"))).startsWith("java.lang.OutOfMemoryError").contains("(at ");
        assertThat(Codec.readString(new java.io.DataInputStream(Files.newInputStream(Path.of(base + ".out"))) {
            { readInt(); readByte(); } // the HELLO frame's length and type, then its token
        })).isEqualTo("token");
    }
}
