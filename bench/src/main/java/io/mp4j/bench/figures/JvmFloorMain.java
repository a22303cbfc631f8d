package io.mp4j.bench.figures;

/**
 * The trivial program of {@link JvmFloorFigure}, which it starts as a JVM of its own: it prints
 * {@link System#nanoTime()} (the same clock in every process of the machine) and halts at once, or with
 * {@code idle}, prints it and waits until its standard input ends. Depends on nothing but java.base.
 */
public final class JvmFloorMain {
    private JvmFloorMain() {}

    public static void main(String[] args) throws Exception {
        System.out.println(System.nanoTime());
        System.out.flush();
        if (args.length > 0 && args[0].equals("idle")) {
            while (System.in.read() >= 0) {
                // until the parent closes our input
            }
        }
        Runtime.getRuntime().halt(0);
    }
}
