package io.mp4j.bench.figures;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Calls library API that may not exist yet (features land on other branches) by name, so that the harness
 * compiles today and measures the feature the day it lands; a missing method is a {@link NotBuiltException}.
 */
public final class Dyn {
    private Dyn() {}

    /** {@code target.name(args...)} on the first public method whose parameters accept the arguments. */
    public static Object call(Object target, String name, Object... args) throws Exception {
        Method m = find(target.getClass(), name, args);
        if (m == null) {
            throw new NotBuiltException("no " + target.getClass().getSimpleName() + "." + name + "("
                    + Arrays.stream(args).map(a -> a == null ? "null" : a.getClass().getSimpleName())
                    .collect(Collectors.joining(", ")) + ")");
        }
        try {
            m.setAccessible(true);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof UnsupportedOperationException u) throw new NotBuiltException(u.getMessage());
            if (c instanceof Exception ex) throw ex;
            if (c instanceof Error er) throw er;
            throw e;
        }
    }

    /**
     * A handle on {@code target.name(...)} with {@code arity} parameters, bound to the target and typed
     * {@code (Object...)Object}, for hot loops ({@code invokeExact} costs a direct call once compiled).
     */
    public static java.lang.invoke.MethodHandle handle(Object target, String name, int arity) {
        for (Method m : target.getClass().getMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != arity || Modifier.isStatic(m.getModifiers())) continue;
            try {
                return java.lang.invoke.MethodHandles.publicLookup().unreflect(m).bindTo(target)
                        .asType(java.lang.invoke.MethodType.genericMethodType(arity));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot access " + m, e);
            }
        }
        throw new NotBuiltException("no " + target.getClass().getSimpleName() + "." + name + " with " + arity + " parameter(s)");
    }

    /** Invokes a handle from {@link #handle} with one argument, rethrowing what it throws. */
    public static Object invoke1(java.lang.invoke.MethodHandle h, Object a) throws Exception {
        try {
            return (Object) h.invokeExact(a);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Invokes a handle from {@link #handle} without arguments. */
    public static Object invoke0(java.lang.invoke.MethodHandle h) throws Exception {
        try {
            return (Object) h.invokeExact();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Whether {@code type} has a public method {@code name} taking {@code arity} parameters. */
    public static boolean has(Class<?> type, String name, int arity) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == arity) return true;
        }
        return false;
    }

    private static Method find(Class<?> type, String name, Object[] args) {
        for (Method m : type.getMethods()) {
            if (!m.getName().equals(name) || m.getParameterCount() != args.length || Modifier.isStatic(m.getModifiers())) continue;
            Class<?>[] p = m.getParameterTypes();
            boolean ok = true;
            for (int i = 0; i < p.length && ok; i++) ok = accepts(p[i], args[i]);
            if (ok) return m;
        }
        return null;
    }

    private static boolean accepts(Class<?> p, Object a) {
        if (a == null) return !p.isPrimitive();
        if (p.isInstance(a)) return true;
        if (!p.isPrimitive()) return false;
        return (p == int.class && a instanceof Integer) || (p == long.class && (a instanceof Long || a instanceof Integer))
                || (p == double.class && a instanceof Double) || (p == boolean.class && a instanceof Boolean)
                || (p == char.class && a instanceof Character);
    }
}
