package io.mp4j.examples;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.ipc.shm.Value;
import io.mp4j.ipc.sync.Event;

/**
 * A finder process finds primes and a printer process prints them, handing each over with two Events
 * (Educative, "Python Concurrency", Event). The original runs for 3 seconds; this port stops after the
 * numbers below 30. Like the original's {@code is_prime}, 1 counts as a prime.
 */
@Example(name = "event-prime-printer", description = "a finder and a printer process hand primes over with two Events; no prime lost or printed twice")
public final class EventPrimePrinter {
    private EventPrimePrinter() {}

    static final int LIMIT = 30;

    static void printer(Event primeAvailable, Event primePrinted, Value primeHolder, Value exitProg) throws InterruptedException {
        while (!exitProg.getBoolean()) {
            primeAvailable.await(); // wait for a prime number to become available
            if (exitProg.getBoolean()) break;
            System.out.println(primeHolder.get());
            System.out.flush();
            primeHolder.set(0);
            primeAvailable.clear();
            primePrinted.set(); // let the finder know that printing is done
        }
    }

    static boolean isPrime(int num) {
        if (num == 2 || num == 3) return true;
        for (int div = 2; div <= num / 2.0; div++) if (num % div == 0) return false;
        return true;
    }

    static void finder(Event primeAvailable, Event primePrinted, Value primeHolder, Value exitProg) throws InterruptedException {
        int i = 1;
        while (!exitProg.getBoolean()) {
            while (!isPrime(i)) {
                i++;
                Thread.sleep(10); // slow down, so that we can see the output
            }
            if (i >= LIMIT) break;
            primeHolder.set(i);
            primeAvailable.set(); // let the printer know a prime is available
            primePrinted.await(); // wait for the printer to print it
            primePrinted.clear();
            i++;
        }
    }

    public static void main(String[] args) throws Exception {
        Context ctx = Multiprocessing.getContext();
        Event primeAvailable = ctx.event();
        Event primePrinted = ctx.event();
        Value primeHolder = ctx.value('i', 0);
        Value exitProg = ctx.value('?', false);
        MpProcess printer = Multiprocessing.process(EventPrimePrinter::printer, primeAvailable, primePrinted, primeHolder, exitProg);
        printer.start();
        MpProcess finder = Multiprocessing.process(EventPrimePrinter::finder, primeAvailable, primePrinted, primeHolder, exitProg);
        finder.start();
        finder.join();
        exitProg.set(true);
        primeAvailable.set();
        primePrinted.set();
        printer.join();
    }
}
