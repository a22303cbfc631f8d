package io.mp4j;

import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.ipc.connection.Connection;

import java.net.UnixDomainSocketAddress;
import java.util.Arrays;
import java.util.List;

/** Targets of the pipe and connection tests, run in child processes (or threads). */
public final class PipeTargets {
    private PipeTargets() {}

    public record Point(int x, int y) {}

    /**
     * Answers commands on {@code c} until "bye": first sends back the two messages that were sent before it
     * attached, then: an Integer n → the squares 1 … n²; "hello" → ten strings on {@code out}, which it
     * then closes; "bytes" → echoes a byte message; "big" → receives a large byte message, answers its
     * length and checksum, then sends it back; "point" → echoes a Point record.
     */
    public static void serve(Connection c, Connection out) throws Exception {
        c.send(List.of(c.recv(), c.recv()));
        while (true) {
            Object cmd = c.recv();
            switch (cmd) {
                case Integer n -> {
                    for (int i = 1; i <= n; i++) c.send(i * i);
                }
                case String s when s.equals("hello") -> {
                    for (int i = 1; i <= 10; i++) out.send("hello " + i);
                    out.close();
                }
                case String s when s.equals("bytes") -> c.sendBytes(c.recvBytes());
                case String s when s.equals("big") -> {
                    byte[] b = c.recvBytes();
                    c.send(List.of(b.length, Arrays.hashCode(b)));
                    c.sendBytes(b);
                }
                case String s when s.equals("point") -> c.send(c.recv(Point.class));
                case String s when s.equals("bye") -> {
                    c.close();
                    return;
                }
                default -> throw new IllegalArgumentException("unknown command: " + cmd);
            }
        }
    }

    /**
     * A pool task: answers the message sent before it attached with "got " + it, then an Integer n with the squares
     * 1 … n² and, on {@code out} (a one-way end), "done n"; closes both ends and returns n.
     */
    public static int squaresInTask(Connection c, Connection out) throws Exception {
        c.send("got " + c.recv());
        int n = c.recv(Integer.class);
        for (int i = 1; i <= n; i++) c.send(i * i);
        out.send("done " + n);
        out.close();
        c.close();
        return n;
    }

    /** Receives a connection end over {@code ctrl}, then answers an Integer n on it with the squares 1 … n²; closes both. */
    public static void squaresOverAnEndReceived(Connection ctrl) throws Exception {
        Connection d = ctrl.recv(Connection.class);
        ctrl.send("attached");
        int n = d.recv(Integer.class);
        for (int i = 1; i <= n; i++) d.send(i * i);
        d.close();
        ctrl.close();
    }

    /** A pool initializer: says "init" on {@code log} (and leaves it open: the worker may say more). */
    public static void announceInit(Connection log) throws Exception {
        log.send("init");
    }

    /** A pool task. */
    public static int twice(Integer n) { return 2 * n; }

    /** Sends a message of {@code size} bytes: the parent kills this process while it is half sent. */
    public static void sendForever(Connection c, int size) throws Exception {
        c.sendBytes(new byte[size]);
        Thread.sleep(60_000); // behaviour: lives until the test kills it
    }

    /** Connects to {@code path} with a wrong key (and expects a refusal), then with the context's key. */
    public static void connectTwice(String path, Connection report) throws Exception {
        Context ctx = Multiprocessing.getContext(); // every context of a process has the key it inherited
        try (Connection c = ctx.client(UnixDomainSocketAddress.of(path), "wrong key".getBytes())) {
            report.send("the wrong key was accepted: " + c);
        } catch (AuthenticationException e) {
            report.send("refused");
        }
        try (Connection c = ctx.client(UnixDomainSocketAddress.of(path))) {
            c.send("hi from " + Multiprocessing.currentProcess().getName());
            report.send(c.recv());
        }
    }
}
