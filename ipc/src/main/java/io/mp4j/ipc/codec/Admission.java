package io.mp4j.ipc.codec;

import java.lang.reflect.Modifier;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which classes a slot may name: the registered ones ({@link Codec#register}), the shareables, the accepted JDK value
 * types and arrays of those, and what cannot travel at all. The receiver's check ({@link #resolveTag}) and the
 * sender's ({@link #checkAccepted}, {@link #checkCanTravel}) apply the same rule. Thread-safe.
 */
final class Admission {
    private Admission() {}

    private static final Set<Class<?>> REGISTERED = ConcurrentHashMap.newKeySet();
    private static final Set<String> JDK_ALLOWED = Set.of(
            "java.lang.String", "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float",
            "java.lang.Short", "java.lang.Byte", "java.lang.Character", "java.lang.Boolean",
            "java.math.BigInteger", "java.math.BigDecimal", "java.util.UUID",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.ArrayDeque",
            "java.util.Optional", "java.util.OptionalInt", "java.util.OptionalLong", "java.util.OptionalDouble",
            "java.time.Duration", "java.time.Instant", "java.time.LocalDate", "java.time.LocalTime",
            "java.time.LocalDateTime", "java.time.OffsetDateTime", "java.time.OffsetTime", "java.time.ZonedDateTime",
            "java.time.Year", "java.time.YearMonth", "java.time.MonthDay", "java.time.Period", "java.time.ZoneOffset",
            "java.time.DayOfWeek", "java.time.Month");

    static void register(Class<?>... types) {
        for (Class<?> t : types) {
            if (t == null) throw new IllegalArgumentException("type must not be null");
            REGISTERED.add(t);
        }
    }

    static java.util.List<String> registeredNames() {
        return REGISTERED.stream().map(Class::getName).sorted().toList();
    }

    static java.util.List<String> registerNamed(java.util.Collection<String> names, ClassLoader loader) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String n : names) {
            try {
                REGISTERED.add(Class.forName(n, false, loader == null ? Admission.class.getClassLoader() : loader));
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(n);
            }
        }
        return missing;
    }

    static boolean isAcceptedJdkType(Class<?> c) { return JDK_ALLOWED.contains(c.getName()); }

    static boolean needsTag(Class<?> actual, Class<?> declared) {
        if (actual == declared) return false;
        // a shared object re-attaches only as its own class (a Queue declared as a BlockingQueue)
        if (Shareable.class.isAssignableFrom(actual)) return true;
        if (declared == Object.class || declared.isInterface() || Modifier.isAbstract(declared.getModifiers())) {
            // Collections and maps decode fine as the declared (or natural) type.
            if (java.util.Collection.class.isAssignableFrom(actual) || java.util.Map.class.isAssignableFrom(actual)) {
                return declared == Object.class && !actual.getName().startsWith("java.");
            }
            return true;
        }
        return !actual.getName().startsWith("java.");
    }

    static Class<?> resolveTag(String name, Class<?> declared, ClassLoader loader) {
        Class<?> c;
        try {
            c = Class.forName(name, false, loader == null ? Codec.class.getClassLoader() : loader);
        } catch (ClassNotFoundException e) {
            throw new CodecException("cannot decode: class " + name + " is not on this process's class path");
        }
        if (!declared.isAssignableFrom(Codec.boxed(c)) && !Codec.boxed(declared).isAssignableFrom(c)) {
            throw new CodecException("refused to decode class " + name + ": not assignable to the declared type " + declared.getName());
        }
        if (isAccepted(c, declared)) return c;
        throw new CodecException("refused to decode class " + name + " where " + declared.getName()
                + " is declared: register it with Codec.register(" + c.getSimpleName() + ".class) in the parent"
                + " before starting processes and pools (children get the parent's registrations)");
    }

    /** The receiver's rule for a class named on the wire where {@code declared} is declared (assignability aside). */
    private static boolean isAccepted(Class<?> c, Class<?> declared) {
        if (declared != Object.class && !isJdk(declared)) return true;
        if (REGISTERED.contains(c) || Shareable.class.isAssignableFrom(c)) return true;
        if (c.isArray()) return c.getComponentType().isPrimitive() || isAccepted(c.getComponentType(), Object.class);
        return isAcceptedJdkType(c);
    }

    /** The sender's side of {@link #resolveTag}: refuses what the receiver would refuse, naming what to do. */
    static void checkAccepted(Class<?> c, Class<?> declared) {
        if (isAccepted(c, declared)) return;
        String simple = c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName();
        throw new CodecException("a " + c.getName() + " where " + declared.getName() + " is declared cannot be decoded"
                + " in another process: register it with Codec.register(" + simple + ".class) before starting processes"
                + " and pools (children get the parent's registrations), or declare the type as " + simple);
    }

    static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
    }

    /**
     * Refuses, before encoding, what cannot travel as a value: the types of {@link ProcessLocalTypes}, and
     * lambdas (a lambda's class exists only in the JVM that made it).
     */
    static void checkCanTravel(Class<?> c) {
        String why = ProcessLocalTypes.refusal(c);
        if (why != null) throw new CodecException(why);
        if (c.isHidden()) {
            throw new CodecException("a " + c.getName() + " (a lambda or other hidden class) cannot travel as a value:"
                    + " its class exists only in the JVM that made it; pass a method reference as the task itself, or"
                    + " the data the lambda works on");
        }
    }
}
