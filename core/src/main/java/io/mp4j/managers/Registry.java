package io.mp4j.managers;

import io.mp4j.function.Call;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.worker.task.FunctionRef;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The user's types a manager serves (Python's {@code BaseManager.register}): for each typeid, the interface its
 * proxies call through, the factory that makes a referent in the server, and the names of the methods exposed
 * (all the interface's methods when none are named). Travels to the server process in its launch arguments.
 */
final class Registry {
    /** The typeids of the built-in types, which a user's type cannot take. */
    static final Set<String> BUILT_IN = Set.of("dict", "list", "Namespace", "Value", "Array", "Queue", "JoinableQueue",
            "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event", "Barrier");

    /** One registered type. */
    record Entry(String typeid, Class<?> type, FunctionRef factory, Set<String> exposed) {
        /** Makes a referent (in the server). */
        Object create() throws Exception {
            Object r;
            try {
                r = factory.invoke(new Object[0]);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (!type.isInstance(r)) {
                throw new IllegalStateException("the factory of '" + typeid + "' returned " + (r == null ? "null" : "a " + r.getClass().getName())
                        + ", not a " + type.getName());
            }
            return r;
        }

        /** The exposed methods, by {@link #signature}. */
        Map<String, Method> methods() {
            Map<String, Method> m = new TreeMap<>();
            for (Method method : type.getMethods()) {
                if (Modifier.isStatic(method.getModifiers())) continue;
                if (exposed.isEmpty() || exposed.contains(method.getName())) m.put(signature(method), method);
            }
            return m;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * Registers a type.
     *
     * @throws IllegalArgumentException for an empty or built-in or taken typeid, a type that is not an interface,
     *         or an exposed name that is not one of its methods
     */
    synchronized void add(String typeid, Class<?> type, Call<?> factory, String... exposed) {
        if (typeid == null || typeid.isBlank()) throw new IllegalArgumentException("typeid must not be empty: typeid=" + typeid);
        if (BUILT_IN.contains(typeid)) throw new IllegalArgumentException("typeid '" + typeid + "' is a built-in type's: choose another");
        if (entries.containsKey(typeid)) throw new IllegalArgumentException("typeid '" + typeid + "' is registered already");
        if (type == null || !type.isInterface()) {
            throw new IllegalArgumentException("a registered type is reached through an interface (its proxies implement it): type=" + type);
        }
        if (factory == null) throw new IllegalArgumentException("the factory of '" + typeid + "' must not be null");
        Set<String> names = Arrays.stream(type.getMethods()).map(Method::getName).collect(Collectors.toSet());
        for (String e : exposed) {
            if (!names.contains(e)) throw new IllegalArgumentException("'" + e + "' is not a method of " + type.getName() + " (its methods: " + new java.util.TreeSet<>(names) + ")");
        }
        entries.put(typeid, new Entry(typeid, type, FunctionRef.of(factory), new LinkedHashSet<>(Arrays.asList(exposed))));
    }

    synchronized Entry get(String typeid) { return entries.get(typeid); }

    synchronized Set<String> typeids() { return Set.copyOf(entries.keySet()); }

    synchronized Registry copy() {
        Registry r = new Registry();
        r.entries.putAll(entries);
        return r;
    }

    /** {@code name(paramType,...)}: what a proxy names a method by. */
    static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getName).collect(Collectors.joining(",", "(", ")"));
    }

    synchronized void write(DataOutput out) throws IOException {
        out.writeInt(entries.size());
        for (Entry e : entries.values()) {
            Codec.writeString(out, e.typeid());
            Codec.writeString(out, e.type().getName());
            out.writeInt(e.exposed().size());
            for (String x : e.exposed()) Codec.writeString(out, x);
            e.factory().write(out);
        }
    }

    static Registry read(DataInput in, ClassLoader loader) throws IOException {
        Registry r = new Registry();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            String typeid = Codec.readString(in);
            String typeName = Codec.readString(in);
            Set<String> exposed = new LinkedHashSet<>();
            for (int k = in.readInt(); k > 0; k--) exposed.add(Codec.readString(in));
            FunctionRef factory = FunctionRef.read(in, loader);
            Class<?> type;
            try {
                type = Class.forName(typeName, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException("the type of '" + typeid + "' is not on the server's class path: " + typeName, e);
            }
            r.entries.put(typeid, new Entry(typeid, type, factory, exposed));
        }
        return r;
    }
}
