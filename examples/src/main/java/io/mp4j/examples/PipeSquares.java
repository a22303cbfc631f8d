package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.connection.Connection;
import io.mp4j.ipc.connection.Pipe;

/** The parent sends 10 through a duplex pipe; the child prints it and answers with the squares 1 ... 100. */
@Example(name = "pipe-squares", description = "the parent sends 10 through a pipe, the child answers with the squares 1 ... 100")
public final class PipeSquares {
    private PipeSquares() {}

    // Child process code
    static void func(Connection conn) throws Exception {
        int value = conn.recv(Integer.class);
        System.out.println("Child received " + value);
        for (int i = 1; i <= value; i++) conn.send(i * i);
    }

    // Parent process code
    public static void main(String[] args) throws Exception {
        Pipe pipe = Multiprocessing.getContext().pipe();
        Connection parentConn = pipe.first(), childConn = pipe.second();
        MpProcess child = Multiprocessing.process(PipeSquares::func, childConn);
        child.start();
        int num = 10;
        parentConn.send(num);
        for (int i = 0; i < num; i++) System.out.println(parentConn.recv());
        child.join();
        parentConn.close();
        System.out.println("Pipe closed");
    }
}
