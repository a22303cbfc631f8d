package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;

/** The parent prints its pid, each child prints its own, and after join both report not alive. */
@Example(name = "process-ids", description = "the parent and two children print their process ids; after join neither is alive")
public final class ProcessIds {
    private ProcessIds() {}

    static void f1() {
        System.out.println("p1_id:  " + ProcessHandle.current().pid());
    }

    static void f2() {
        System.out.println("p2_id:  " + ProcessHandle.current().pid());
    }

    public static void main(String[] args) throws Exception {
        System.out.println("main process id " + ProcessHandle.current().pid());
        MpProcess p1 = Multiprocessing.process(ProcessIds::f1);
        MpProcess p2 = Multiprocessing.process(ProcessIds::f2);
        p1.start();
        p2.start();
        p1.join();
        p2.join();
        System.out.println("Both processes finished execution!");
        System.out.println("p1 status is alive?: " + Py.str(p1.isAlive()));
        System.out.println("p2 status is alive?: " + Py.str(p2.isAlive()));
    }
}
