package io.mp4j.examples;

import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.managers.DictProxy;
import io.mp4j.managers.SyncManager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Python's {@code Manager().dict()}: four workers fill one shared dict through its proxy, each with the squares
 * of its share of 0..11, and the parent prints the dict sorted by key once they have all ended. The dict lives in
 * the manager's server process; the workers' puts are requests to it.
 */
@Example(name = "manager-dict", description = "four workers fill a manager's shared dict; the parent prints it sorted")
public final class ManagerDict {
    private ManagerDict() {}

    static void fill(Map<Integer, String> squares, int worker) {
        for (int i = worker; i < 12; i += 4) squares.put(i, i * i + " (worker " + worker + ")");
    }

    /** Runs the example; no arguments. */
    public static void main(String[] args) throws Exception {
        try (SyncManager manager = Multiprocessing.getContext().manager()) {
            DictProxy<Integer, String> squares = manager.dict(Integer.class, String.class);
            List<MpProcess> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) workers.add(Multiprocessing.process(ManagerDict::fill, squares, w));
            for (MpProcess p : workers) p.start();
            for (MpProcess p : workers) p.join();
            new TreeMap<>(squares).forEach((k, v) -> System.out.println(k + " -> " + v));
        }
    }
}
