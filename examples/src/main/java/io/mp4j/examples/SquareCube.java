package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;

/** Two processes, one printing a square and one a cube; the parent waits for both, then prints Done!. */
@Example(name = "square-cube", description = "two processes print a square and a cube, then the parent prints Done!")
public final class SquareCube {
    private SquareCube() {}

    static void printSquare(int num) {
        System.out.println("square of a number is " + num * num);
    }

    static void printCube(int num) {
        System.out.println("Cube of a number is " + num * num * num);
    }

    public static void main(String[] args) throws Exception {
        MpProcess p1 = Multiprocessing.process(SquareCube::printSquare, 10);
        MpProcess p2 = Multiprocessing.process(SquareCube::printCube, 10);
        p1.start();
        p2.start();
        p1.join();
        p2.join();
        System.out.println("Done!");
    }
}
