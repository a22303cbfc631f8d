package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Pipe;

/**
 * The child sends ten strings through a pipe and closes its end; the parent prints them. (The original
 * sleeps 3 s before reading, to show that what is sent waits in the pipe; the output is the same.)
 */
@Example(name = "pipe-hello", description = "the child sends hello 1 ... hello 10 through a pipe, the parent prints them")
public final class PipeHello {
    private PipeHello() {}

    static void childProcess(Connection conn) throws Exception {
        for (int i = 0; i < 10; i++) conn.send("hello " + (i + 1));
        conn.close();
    }

    public static void main(String[] args) throws Exception {
        Pipe pipe = Multiprocessing.getContext().pipe();
        Connection parentConn = pipe.first(), childConn = pipe.second();
        MpProcess p = Multiprocessing.process(PipeHello::childProcess, childConn);
        p.start();
        for (int i = 0; i < 10; i++) {
            Object msg = parentConn.recv();
            System.out.println(msg);
        }
        parentConn.close();
        p.join();
    }
}
