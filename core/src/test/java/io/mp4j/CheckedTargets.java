package io.mp4j;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.mp4j.worker.ChildRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** Targets and value types of {@link CallChecksTest}: what travels, what is refused, what only a worker refuses. */
public final class CheckedTargets {
    private CheckedTargets() {}

    /** java.time and Optional fields: they travel with Jackson's jsr310 and jdk8 modules. */
    public record Booking(String who, LocalDate day, Duration length, Optional<String> note) {}

    /** The next day's booking: a record in, a record out. */
    public static Booking nextDay(Booking b) { return new Booking(b.who(), b.day().plusDays(1), b.length().plusMinutes(1), b.note()); }

    /** Writes the booking as the child received it. */
    public static void writeBooking(Booking b, String file) throws IOException { Files.writeString(Path.of(file), b.toString()); }

    /** A point that Jackson cannot re-create without {@link PointsModule} (its only constructor takes a string). */
    public static final class Point {
        final int x, y;

        private Point(String xy) {
            String[] p = xy.split(",");
            x = Integer.parseInt(p[0]);
            y = Integer.parseInt(p[1]);
        }

        public static Point of(int x, int y) { return new Point(x + "," + y); }

        @Override public boolean equals(Object o) { return o instanceof Point p && p.x == x && p.y == y; }

        @Override public int hashCode() { return x * 31 + y; }

        @Override public String toString() { return x + "," + y; }
    }

    /** A user's Jackson module, found by service loader in every process (core's test resources name it). */
    public static final class PointsModule extends SimpleModule {
        public PointsModule() {
            super("test-points");
            addSerializer(Point.class, new JsonSerializer<>() {
                @Override public void serialize(Point p, JsonGenerator g, SerializerProvider s) throws IOException { g.writeString(p.toString()); }
            });
            addDeserializer(Point.class, new JsonDeserializer<>() {
                @Override public Point deserialize(JsonParser p, DeserializationContext c) throws IOException { return new Point(p.getValueAsString()); }
            });
        }
    }

    /** Doubles a point, in the worker: the worker decodes and encodes it with the service-loaded module. */
    public static Point doubled(Point p) { return Point.of(p.x * 2, p.y * 2); }

    /** Whatever it is given, by name: a parameter of type Object. */
    public static String describe(Object o) { return String.valueOf(o); }

    public static Integer square(Integer x) { return x * x; }

    public static Long pid(Integer ignored) { return ProcessHandle.current().pid(); }

    /** No constructor Jackson can use. */
    public static final class NoUsableConstructor {
        final int v;

        NoUsableConstructor(int v) { this.v = v; }
    }

    public static Integer valueOf(NoUsableConstructor n) { return n.v; }

    /** A record the tests never register. */
    public record Unregistered(int v) {}

    /** A record registered in the parent only (CallChecksTest): children get the registration with their launch. */
    public record RegisteredInParent(int v) {}

    /** Returns what it got back as the class name the worker saw. */
    public static String className(Object o) { return o.getClass().getName() + ":" + o; }

    /** A service whose instances cannot be re-created in another process (no usable constructor). */
    public static final class Service {
        private final int factor;

        public Service(int factor) { this.factor = factor; }

        public Integer times(Integer x) { return x * factor; }
    }

    /** An object whose lambdas use this: they capture it, and its lock with it. */
    public static final class Counter {
        private final ReentrantLock lock = new ReentrantLock();
        private final int step = 2;

        public io.mp4j.function.Fn<Integer, Integer> adder() { return x -> x + step; }

        boolean locked() { return lock.isLocked(); }
    }

    /** Whether this code runs in a pool worker or a child (where the tests' picky values refuse themselves). */
    static boolean inWorker() { return ChildRuntime.isChild() || Thread.currentThread().getName().contains("PoolWorker"); }

    /** A value that a worker refuses to decode when it is 13 (a constructor that refuses a value). */
    public record Picky(int v) {
        public Picky {
            if (inWorker() && v == 13) throw new IllegalArgumentException("13 is refused here");
        }
    }

    public static Integer pickyValue(Picky p) { return p.v(); }

    public static Integer initialised;

    public static void pickyInit(Picky p) { initialised = p.v(); }

    /** THREAD processes get their arguments by reference: the lock the parent holds is the one the child tries. */
    public static void tryTheLock(ReentrantLock lock, String file) throws IOException {
        Files.writeString(Path.of(file), lock.tryLock() ? "free" : "held by another thread");
    }
}
