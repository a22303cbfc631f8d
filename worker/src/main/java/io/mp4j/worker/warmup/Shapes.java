package io.mp4j.worker.warmup;

import io.mp4j.worker.task.FunctionRef;

import java.io.Serializable;
import java.util.List;

/**
 * Targets of each common shape (no to four arguments, typed or not; void or a reference back), called once each: the
 * method handles that calling a target makes are shared by the targets of one shape, and a fresh JVM spins them on
 * first use, on the task's path; made here, the caches hold them and warm JVMs have them.
 */
final class Shapes {
    private Shapes() {}

    private static volatile long sink;

    /** Calls one target of each shape through {@link FunctionRef}, as a launch calls its target. */
    static void callEach() throws Throwable {
        // each in a class of its own, not yet initialised when first called, as a task's class usually is (its
        // handle then carries the initialisation check: another shape of handle); parameters of a type other
        // than Object each take a cast (one more handle per position), and four or more a spreader
        for (Serializable shape : List.<Serializable>of((Shape0) S0::run, (Shape1) S1::run, (Shape2) S2::run,
                (Shape3) S3::run, (Shape4) S4::run, (Fn0) F0::apply, (Fn1) F1::apply, (Fn2) F2::apply, (Fn3) F3::apply,
                (Typed1) T1::run, (Typed2) T2::run, (Typed3) T3::run, (Typed4) T4::run, (TypedFn1) G1::apply)) {
            FunctionRef f = FunctionRef.of(shape);
            Object[] args = new Object[f.argTypes().length];
            java.util.Arrays.fill(args, "x");
            f.invoke(args);
        }
    }

    @FunctionalInterface interface Shape0 extends Serializable { void run(); }
    @FunctionalInterface interface Shape1 extends Serializable { void run(Object a); }
    @FunctionalInterface interface Shape2 extends Serializable { void run(Object a, Object b); }
    @FunctionalInterface interface Shape3 extends Serializable { void run(Object a, Object b, Object c); }
    @FunctionalInterface interface Shape4 extends Serializable { void run(Object a, Object b, Object c, Object d); }
    @FunctionalInterface interface Typed1 extends Serializable { void run(String a); }
    @FunctionalInterface interface Typed2 extends Serializable { void run(String a, String b); }
    @FunctionalInterface interface Typed3 extends Serializable { void run(String a, String b, String c); }
    @FunctionalInterface interface Typed4 extends Serializable { void run(String a, String b, String c, String d); }
    @FunctionalInterface interface TypedFn1 extends Serializable { String apply(String a); }
    @FunctionalInterface interface Fn0 extends Serializable { Object apply(); }
    @FunctionalInterface interface Fn1 extends Serializable { Object apply(Object a); }
    @FunctionalInterface interface Fn2 extends Serializable { Object apply(Object a, Object b); }
    @FunctionalInterface interface Fn3 extends Serializable { Object apply(Object a, Object b, Object c); }

    static final class S0 { static void run() { sink++; } }
    static final class S1 { static void run(Object a) { sink += a.hashCode(); } }
    static final class S2 { static void run(Object a, Object b) { sink += a.hashCode() + b.hashCode(); } }
    static final class S3 { static void run(Object a, Object b, Object c) { sink += a.hashCode() + b.hashCode() + c.hashCode(); } }
    static final class S4 { static void run(Object a, Object b, Object c, Object d) { sink += a.hashCode() + d.hashCode(); } }
    static final class T1 { static void run(String a) { sink += a.length(); } }
    static final class T2 { static void run(String a, String b) { sink += a.length() + b.length(); } }
    static final class T3 { static void run(String a, String b, String c) { sink += a.length() + c.length(); } }
    static final class T4 { static void run(String a, String b, String c, String d) { sink += a.length() + d.length(); } }
    static final class G1 { static String apply(String a) { return a; } }
    static final class F0 { static Object apply() { return sink; } }
    static final class F1 { static Object apply(Object a) { return a; } }
    static final class F2 { static Object apply(Object a, Object b) { return b; } }
    static final class F3 { static Object apply(Object a, Object b, Object c) { return c; } }
}
