package io.mp4j.examples;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.shm.Array;
import io.mp4j.ipc.shm.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain static list filled by a child stays empty in the parent; a shared Array and Value filled by a
 * child are seen by the parent (GeeksforGeeks, "Multiprocessing in Python | Set 2").
 */
@Example(name = "global-vs-shared", description = "a global list stays [] in the parent; a shared Array and Value carry the child's results")
public final class GlobalVsShared {
    private GlobalVsShared() {}

    static List<Integer> result = new ArrayList<>();

    static void squareListGlobal(List<Integer> mylist) {
        for (int num : mylist) result.add(num * num);
        System.out.println("Result(in process p1) " + result);
    }

    static void squareList(List<Integer> mylist, Array result, Value squareSum) {
        for (int idx = 0; idx < mylist.size(); idx++) result.set(idx, mylist.get(idx) * mylist.get(idx));
        int sum = 0;
        for (int v : result.toIntArray()) sum += v;
        squareSum.set(sum);
        System.out.println("Result(in process p1): " + result.toList());
        System.out.println("Sum of squares(in process p1): " + squareSum.get());
    }

    public static void main(String[] args) throws Exception {
        List<Integer> mylist = List.of(1, 2, 3, 4);
        MpProcess p1 = Multiprocessing.process(GlobalVsShared::squareListGlobal, mylist);
        p1.start();
        p1.join();
        System.out.println("Result(in main program) " + result);

        Context ctx = Multiprocessing.getContext();
        Array shared = ctx.array('i', 4);
        Value squareSum = ctx.value('i', null);
        MpProcess p2 = Multiprocessing.process(GlobalVsShared::squareList, mylist, shared, squareSum);
        p2.start();
        p2.join();
        System.out.println("Result(in main program): " + shared.toList());
        System.out.println("Sum of squares(in main program): " + squareSum.get());
    }
}
