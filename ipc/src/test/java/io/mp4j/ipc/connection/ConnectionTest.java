package io.mp4j.ipc.connection;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;
import io.mp4j.testkit.Await;
import io.mp4j.testkit.Background;
import io.mp4j.testkit.Syscall;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connection ends of one pipe within one JVM: every method and error. */
class ConnectionTest {
    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    private Pipe pipe(boolean duplex) {
        Pipe p = Pipe.open(duplex, () -> dir);
        toClose.add(p);
        return p;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose) c.close();
    }

    public record Point(int x, int y) {}

    @Test
    void shouldCarryScalarsStringsBytesListsAndMapsAsThemselves() throws Exception {
        Pipe p = pipe(true);
        Object[] values = {1, 2L, 3.5, 4.5f, (short) 6, (byte) 7, 'c', true, "héllo", null, List.of(1, 2, 3), Map.of("a", 1)};
        for (Object v : values) p.first().send(v);
        for (Object v : values) assertThat(p.second().recv()).isEqualTo(v);
        p.second().send(new byte[]{1, 2, 3});
        assertThat((byte[]) p.first().recv()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldWidenTheSendBufferOfBothEnds() throws Exception {
        Pipe p = pipe(true);
        assertThat(p.first().sendBufferBytes()).isEqualTo(expectedSendBuffer());
        assertThat(p.second().sendBufferBytes()).isEqualTo(expectedSendBuffer());
    }

    /** What Linux reports for {@link Native#SEND_BUFFER_BYTES}: capped at net.core.wmem_max, then doubled. */
    static int expectedSendBuffer() throws Exception {
        // readAllLines: Files.readString reads procfs files short (their size is 0)
        int max = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/wmem_max")).get(0).trim());
        return 2 * Math.min(Native.SEND_BUFFER_BYTES, max);
    }

    @Test
    void shouldDecodeARecordWhenTheReceiverNamesItsClass() throws Exception {
        Pipe p = pipe(true);
        p.first().send(new Point(1, 2));
        assertThat(p.second().recv(Point.class)).isEqualTo(new Point(1, 2));
        p.first().send(new Point(3, 4));
        assertThatThrownBy(() -> p.second().recv()).isInstanceOf(CodecException.class).hasMessageContaining("register");
        p.first().send("after");
        assertThat(p.second().recv()).isEqualTo("after");
    }

    @Test
    void shouldRefuseAMessageOfAnotherTypeThanTheOneAskedFor() throws Exception {
        Pipe p = pipe(true);
        p.first().send("text");
        assertThatThrownBy(() -> p.second().recv(Integer.class)).isInstanceOf(CodecException.class)
                .hasMessageContaining("java.lang.String").hasMessageContaining("java.lang.Integer");
        p.first().send(5);
        assertThat(p.second().recv(int.class)).isEqualTo(5);
    }

    @Test
    void shouldSendASliceOfAnArrayAndReceiveItAsBytes() throws Exception {
        Pipe p = pipe(true);
        byte[] b = "0123456789".getBytes();
        p.first().sendBytes(b, 2, 5);
        p.first().sendBytes(new byte[0]);
        assertThat(new String(p.second().recvBytes())).isEqualTo("23456");
        assertThat(p.second().recvBytes()).isEmpty();
        assertThatThrownBy(() -> p.first().sendBytes(b, 8, 5)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.first().sendBytes(b, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldLeaveATooLongMessageInPlaceForTheNextReceive() throws Exception {
        Pipe p = pipe(true);
        p.first().sendBytes(new byte[100]);
        assertThatThrownBy(() -> p.second().recvBytes(99)).isInstanceOf(MessageTooLongException.class)
                .hasMessageContaining("length=100").hasMessageContaining("limit=99");
        assertThat(p.second().recvBytes(100)).hasSize(100);
        assertThatThrownBy(() -> p.second().recvBytes(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLength=-1");
    }

    @Test
    void shouldReceiveBytesIntoACallersBufferAtAnOffset() throws Exception {
        Pipe p = pipe(true);
        p.first().sendBytes("abc".getBytes());
        p.first().sendBytes("defgh".getBytes());
        byte[] buf = new byte[8];
        assertThat(p.second().recvBytesInto(buf, 2)).isEqualTo(3);
        assertThat(new String(buf, 2, 3)).isEqualTo("abc");
        assertThatThrownBy(() -> p.second().recvBytesInto(buf, 4)).isInstanceOf(MessageTooLongException.class).hasMessageContaining("limit=4");
        assertThat(p.second().recvBytesInto(buf)).isEqualTo(5);
        assertThat(new String(buf, 0, 5)).isEqualTo("defgh");
        assertThatThrownBy(() -> p.second().recvBytesInto(buf, 9)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldPollWithAndWithoutATimeout() throws Exception {
        Pipe p = pipe(true);
        assertThat(p.second().poll()).isFalse();
        long t0 = System.nanoTime();
        assertThat(p.second().poll(Duration.ofMillis(50))).isFalse();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
        p.first().send(1);
        assertThat(p.second().poll(1, TimeUnit.SECONDS)).isTrue();
        assertThat(p.second().recv()).isEqualTo(1);
        assertThat(p.second().poll(-1, TimeUnit.SECONDS)).as("a negative timeout does not wait").isFalse();
        p.first().close();
        assertThat(p.second().poll()).isTrue();
    }

    @Test
    void shouldDeliverWhatWasSentThenThrowEofOnceThePeerClosed() throws Exception {
        Pipe p = pipe(true);
        p.first().send("last");
        p.first().close();
        assertThat(p.second().recv()).isEqualTo("last");
        assertThatThrownBy(() -> p.second().recv()).isInstanceOf(EOFException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> p.second().recvBytes()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> p.second().send(1)).isInstanceOf(java.io.IOException.class).hasMessageContaining("broken pipe");
    }

    @Test
    void shouldRefuseEveryOperationOnAClosedEnd() throws Exception {
        Pipe p = pipe(true);
        Connection c = p.first();
        assertThat(c.isClosed()).isFalse();
        c.close();
        c.close();
        assertThat(c.isClosed()).isTrue();
        assertThatThrownBy(() -> c.send(1)).isInstanceOf(ClosedConnectionException.class);
        assertThatThrownBy(() -> c.sendBytes(new byte[1])).isInstanceOf(ClosedConnectionException.class);
        assertThatThrownBy(c::recv).isInstanceOf(ClosedConnectionException.class);
        assertThatThrownBy(() -> c.recvBytes(10)).isInstanceOf(ClosedConnectionException.class);
        assertThatThrownBy(() -> c.recvBytesInto(new byte[1])).isInstanceOf(ClosedConnectionException.class);
        assertThatThrownBy(c::poll).isInstanceOf(ClosedConnectionException.class);
    }

    @Test
    void shouldOnlyReceiveOnTheFirstEndAndOnlySendOnTheSecondOfAOneWayPipe() throws Exception {
        Pipe p = pipe(false);
        assertThat(p.first().isReadable()).isTrue();
        assertThat(p.first().isWritable()).isFalse();
        assertThat(p.second().isReadable()).isFalse();
        assertThat(p.second().isWritable()).isTrue();
        assertThatThrownBy(() -> p.first().send(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("receive-only");
        assertThatThrownBy(() -> p.first().sendBytes(new byte[1])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.second().recv()).isInstanceOf(IllegalStateException.class).hasMessageContaining("send-only");
        assertThatThrownBy(() -> p.second().recvBytes()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> p.second().poll()).isInstanceOf(IllegalStateException.class);
        p.second().send("one way");
        assertThat(p.first().recv()).isEqualTo("one way");
    }

    @Test
    void shouldWakeABlockedReceiverWhenItsEndIsClosedByAnotherThread() throws Exception {
        Pipe p = pipe(true);
        Background<Object> recv = Background.call("receiver", () -> p.second().recv()).awaitAsleepIn(Syscall.RECEIVE, Syscall.POLL);
        p.second().close();
        assertThat(recv.failure()).isInstanceOf(ClosedConnectionException.class);
        recv.awaitEnd();
    }

    private static void send(Connection c, Object o) {
        try {
            c.send(o);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void shouldThrowInterruptedIoExceptionAndLoseNothingWhenABlockedReceiveIsInterrupted() throws Exception {
        Pipe p = pipe(true);
        Background<Boolean> recv = Background.call("receiver", () -> {
            try {
                p.second().recv();
                return null;
            } catch (InterruptedIOException e) {
                return Thread.currentThread().isInterrupted();
            }
        }).awaitAsleepIn(Syscall.RECEIVE, Syscall.POLL);
        recv.interrupt();
        assertThat(recv.result()).as("InterruptedIOException thrown, the interrupt status kept").isTrue();
        recv.awaitEnd();
        p.first().send("still here");
        assertThat(p.second().recv()).isEqualTo("still here");
    }

    @Test
    void shouldWakeASenderBlockedOnAFullSocketWhenItsEndIsClosedByAnotherThread() throws Exception {
        Pipe p = pipe(true);
        byte[] big = new byte[64 << 20];
        Background<Void> send = Background.run("sender", () -> p.first().sendBytes(big));
        assertThat(p.second().poll(Duration.ofSeconds(30))).as("the send has begun; it cannot end while nobody reads").isTrue();
        send.awaitAsleepIn(Syscall.SEND, Syscall.POLL);
        p.first().close();
        assertThat(send.failure()).isInstanceOf(ClosedConnectionException.class);
        send.awaitEnd();
        assertThatThrownBy(() -> p.second().recvBytes()).isInstanceOf(EOFException.class).hasMessageContaining("in the middle of a message");
    }

    @Test
    void shouldThrowInterruptedIoExceptionAndSendNothingWhenAnInterruptedSendFindsTheSocketFull() throws Exception {
        Pipe p = pipe(true);
        CompletableFuture<List<Object>> outcome = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt(); // honoured only when a send has to wait for room
            int sent = 0;
            try {
                while (true) {
                    p.first().send(sent);
                    sent++;
                }
            } catch (Throwable e) {
                outcome.complete(List.of(sent, e, Thread.currentThread().isInterrupted()));
            }
        });
        List<Object> o = outcome.get(60, TimeUnit.SECONDS);
        Await.ended(t);
        assertThat(o.get(1)).isInstanceOf(InterruptedIOException.class);
        assertThat(o.get(2)).as("the interrupt status is kept").isEqualTo(true);
        int sent = (Integer) o.get(0);
        assertThat(sent).isPositive();
        for (int i = 0; i < sent; i++) assertThat(p.second().recv()).isEqualTo(i);
        assertThat(p.second().poll(Duration.ZERO)).as("nothing of the interrupted message was sent").isFalse();
        p.first().send("after");
        assertThat(p.second().recv()).isEqualTo("after");
    }

    @Test
    void shouldInterruptASendOrAReceiveThatWaitsForAnotherThreadOnTheSameEnd() throws Exception {
        Pipe p = pipe(true);
        byte[] big = new byte[64 << 20];
        CompletableFuture<Void> bigSent = CompletableFuture.runAsync(() -> {
            try {
                p.first().sendBytes(big);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
        assertThat(p.second().poll(Duration.ofSeconds(30))).as("the big send has begun: it holds the sending side").isTrue();
        assertThat(interruptedWhileWaiting(() -> {
            p.first().send("queued");
            return null;
        })).isInstanceOf(InterruptedIOException.class);
        assertThat(p.second().recvBytes()).hasSize(big.length);
        bigSent.get(5, TimeUnit.SECONDS);
        assertThat(p.second().poll(Duration.ZERO)).as("the interrupted send sent nothing").isFalse();

        CompletableFuture<Object> received = CompletableFuture.supplyAsync(() -> {
            try {
                return p.second().recv();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        }, r -> Thread.ofPlatform().start(r));
        // the first receive holds the receiving side once it is blocked; a second one waits for it
        Await.until("the first receive holding the receiving side", () -> p.second().receiver().lock.isLocked());
        assertThat(interruptedWhileWaiting(() -> p.second().recv())).isInstanceOf(InterruptedIOException.class);
        p.first().send("for the first");
        assertThat(received.get(5, TimeUnit.SECONDS)).isEqualTo("for the first");
    }

    /** Runs {@code call} on a thread, interrupts it once it waits for another thread of this JVM; what it threw. */
    private static Throwable interruptedWhileWaiting(java.util.concurrent.Callable<?> call) {
        Background<?> b = Background.call("waiting behind another", call).awaitWaitingInJava();
        b.interrupt();
        Throwable e = b.failure();
        b.awaitEnd();
        return e;
    }

    @Test
    void shouldCarryA64MiBMessageBothAsBytesAndIntoABuffer() throws Exception {
        Pipe p = pipe(true);
        byte[] big = new byte[64 << 20];
        for (int i = 0; i < big.length; i += 4093) big[i] = (byte) i;
        big[big.length - 1] = 42;
        Thread sender = Thread.ofPlatform().start(() -> {
            try {
                p.first().sendBytes(big);
                p.first().sendBytes(big);
                p.first().send(big);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] got = p.second().recvBytes();
        assertThat(Arrays.equals(got, big)).isTrue();
        byte[] into = new byte[(64 << 20) + 1];
        assertThat(p.second().recvBytesInto(into, 1)).isEqualTo(big.length);
        assertThat(Arrays.equals(into, 1, into.length, big, 0, big.length)).isTrue();
        assertThat(Arrays.equals((byte[]) p.second().recv(), big)).isTrue();
        Await.ended(sender);
    }

    @Test
    void shouldInterleaveNothingWhenTwoThreadsSendAtOnce() throws Exception {
        Pipe p = pipe(true);
        int n = 2_000;
        Runnable send = () -> {
            try {
                for (int i = 0; i < n; i++) p.first().sendBytes(new byte[70_000 + (i % 7)]);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        };
        Thread a = Thread.ofPlatform().start(send), b = Thread.ofPlatform().start(send);
        for (int i = 0; i < 2 * n; i++) assertThat(p.second().recvBytes().length).isBetween(70_000, 70_006);
        Await.ended(a);
        Await.ended(b);
    }

    @Test
    void shouldCountEverythingAsSentEvenWhenManySmallMessagesAreReadAhead() throws Exception {
        Pipe p = pipe(true);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 100_000; i++) p.first().send(i);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        for (int i = 0; i < 100_000; i++) assertThat(p.second().recv()).isEqualTo(i);
        Await.ended(t);
    }

    @Test
    void shouldRefuseToTravelWhenNotMadeByAContext() throws Exception {
        Pipe p = Pipe.open(true, null);
        toClose.add(p);
        assertThatThrownBy(() -> Codec.encode(p.first(), Connection.class)).isInstanceOf(CodecException.class)
                .hasMessageContaining("not made by a context");
    }

    @Test
    void shouldGiveBackTheSameEndWhenDecodedInTheProcessThatEncodedIt() throws Exception {
        Pipe p = pipe(true);
        byte[] handle = Codec.encode(p.first(), Connection.class);
        assertThat(Codec.decode(handle, Connection.class)).isSameAs(p.first());
        assertThat(dir.toFile().list()).anyMatch(n -> n.startsWith("share-") && n.endsWith(".sock"));
    }

    @Test
    void shouldTakeTheEndBackWithWhatItHadReadAheadWhenDecodedForRealInTheProcessThatEncodedIt() throws Exception {
        Pipe p = pipe(true);
        p.first().send("a");
        p.first().send("b");
        p.first().send("c");
        assertThat(p.second().recv()).isEqualTo("a"); // reads "b" and "c" ahead
        byte[] handle = Codec.encode(p.second(), Connection.class);
        // the parent's check of a launch message: the claim stays for the child
        assertThat(Codec.checkOnly(() -> Codec.decode(handle, Connection.class))).isSameAs(p.second());
        // a THREAD pool's task: takes the claim
        Connection back = (Connection) Codec.decode(handle, Connection.class);
        assertThat(back).isSameAs(p.second());
        assertThatThrownBy(() -> Codec.decode(handle, Connection.class)).hasStackTraceContaining("already attached");
        p.first().send("d");
        assertThat(List.of(back.recv(), back.recv(), back.recv())).containsExactly("b", "c", "d");
        back.close();
        // no duplicate of the descriptor is left behind: the peer sees the end closed
        assertThatThrownBy(() -> p.first().recv()).isInstanceOf(EOFException.class);
    }

    /** Writes raw bytes on an end's socket, bypassing the framing (to stall a message half way). */
    private static void raw(Connection c, byte[] bytes) throws Exception {
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment seg = a.allocate(bytes.length);
            java.lang.foreign.MemorySegment.copy(bytes, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, bytes.length);
            Sockets.writeFully(Native.errno(), c.descriptor().fd(), seg, bytes.length);
        }
    }

    private static byte[] header(int length) {
        return java.nio.ByteBuffer.allocate(4).putInt(length).array();
    }

    @Test
    void shouldResumeAHalfReceivedLargeMessageAfterAnInterrupt() throws Exception {
        Pipe p = pipe(true);
        int n = 1 << 20;
        byte[] first = new byte[1000];
        Arrays.fill(first, (byte) 7);
        raw(p.first(), header(n));
        raw(p.first(), first);
        Background<Integer> recv = Background.call("receiver", () -> p.second().recvBytesInto(new byte[n]));
        recv.awaitAsleepIn(Syscall.RECEIVE, Syscall.POLL); // half way: the header and 1000 bytes are in
        recv.interrupt();
        assertThat(recv.failure()).isInstanceOf(InterruptedIOException.class);
        recv.awaitEnd();
        byte[] rest = new byte[n - 1000];
        Arrays.fill(rest, (byte) 9);
        CompletableFuture<Void> written = CompletableFuture.runAsync(() -> {
            try {
                raw(p.first(), rest);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] got = p.second().recvBytes();
        written.get(30, TimeUnit.SECONDS);
        assertThat(got).hasSize(n);
        assertThat(got[0]).isEqualTo((byte) 7);
        assertThat(got[999]).isEqualTo((byte) 7);
        assertThat(got[1000]).isEqualTo((byte) 9);
        assertThat(got[n - 1]).isEqualTo((byte) 9);
    }

    @Test
    void shouldWakeAReceiverBlockedInTheMiddleOfALargeMessageWhenClosed() throws Exception {
        Pipe p = pipe(true);
        raw(p.first(), header(1 << 20));
        raw(p.first(), new byte[100]);
        Background<byte[]> recv = Background.call("receiver", () -> p.second().recvBytes());
        recv.awaitAsleepIn(Syscall.RECEIVE, Syscall.POLL); // in the middle of the message
        p.second().close();
        assertThat(recv.failure()).isInstanceOf(ClosedConnectionException.class);
        recv.awaitEnd();
    }

    @Test
    void shouldThrowEofNotAPartialMessageWhenThePeerClosesHalfWay() throws Exception {
        Pipe p = pipe(true);
        raw(p.first(), header(1 << 20));
        raw(p.first(), new byte[100]);
        raw(p.first(), new byte[0]);
        p.first().close();
        assertThatThrownBy(() -> p.second().recvBytes()).isInstanceOf(EOFException.class)
                .hasMessageContaining("in the middle of a message").hasMessageContaining("received 100 of 1048576 bytes");
        Pipe q = pipe(true);
        raw(q.first(), new byte[]{0, 0});
        q.first().close();
        assertThatThrownBy(() -> q.second().recv()).isInstanceOf(EOFException.class).hasMessageContaining("in the middle of a message");
    }

    @Test
    void shouldCloseTheConnectionOnACorruptLength() throws Exception {
        Pipe p = pipe(true);
        raw(p.first(), header(-5));
        assertThatThrownBy(() -> p.second().recvBytes()).hasMessageContaining("negative message length: length=-5");
        assertThat(p.second().isClosed()).isTrue();
    }

    @Test
    void shouldReadPythonsLongLengthForm() throws Exception {
        Pipe p = pipe(true);
        raw(p.first(), header(-1));
        raw(p.first(), java.nio.ByteBuffer.allocate(8).putLong(3).array());
        raw(p.first(), "abc".getBytes());
        assertThat(new String(p.second().recvBytes())).isEqualTo("abc");
    }
}
