package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.wire.WireBuffer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.StringJoiner;

/**
 * Named attributes that live in a manager (Python's {@code manager.Namespace()}): Python's {@code ns.x = 1} is
 * {@code ns.set("x", 1)}, {@code ns.x} is {@code ns.get("x")}, {@code del ns.x} is {@code ns.delete("x")},
 * {@code hasattr(ns, "x")} is {@code ns.has("x")}.
 * <pre>{@code
 * Namespace ns = manager.namespace();
 * ns.set("x", 10);
 * ctx.process(Tasks::bump, ns).start();          // the child: ns.set("x", ns.get("x", Integer.class) + 1)
 * }</pre>
 * Each method is one request and atomic; a read-modify-write over two calls is not (guard it with a manager
 * lock). Values are stored encoded: a value fetched is a copy (see {@link BaseProxy}).
 */
public final class Namespace extends BaseProxy {
    private static final int GET = DataServants.Namespace.GET, SET = DataServants.Namespace.SET,
            DELETE = DataServants.Namespace.DELETE, ITEMS = DataServants.Namespace.ITEMS;

    Namespace(Token token) { super(token); }

    private <R> R call(int method, ManagerClient.Args args, ManagerClient.Answer<R> answer) {
        return client().call(id(), method, args, answer);
    }

    private static String checked(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("an attribute name must not be empty: name=" + name);
        return name;
    }

    /**
     * The value of attribute {@code name}.
     *
     * @throws NoSuchElementException when it has none (Python's {@code AttributeError})
     * @param name the attribute's name
     * @return the attribute's value
     */
    public Object get(String name) { return get(name, Object.class); }

    /**
     * The value of attribute {@code name}, decoded as {@code type} (a record of that type needs no registration).
     *
     * @throws NoSuchElementException when it has none (Python's {@code AttributeError})
     * @param <T> the attribute's type
     * @param name the attribute's name
     * @param type the attribute's expected class
     * @return the attribute's value
     */
    public <T> T get(String name, Class<T> type) {
        checked(name);
        return call(GET, out -> Codec.writeString(out, name), in -> {
            if (Wire.absentNext(in)) throw new NoSuchElementException("the namespace has no attribute '" + name + "'");
            @SuppressWarnings("unchecked") T v = (T) Codec.boxed(type).cast(Wire.readBlob(in, type));
            return v;
        });
    }

    /**
     * Sets attribute {@code name}.
     *
     * @param name the attribute's name
     * @param value the attribute's value
     */
    public void set(String name, Object value) {
        checked(name);
        call(SET, out -> {
            Codec.writeString(out, name);
            Wire.writeBlob(out, value);
        }, ManagerClient.Answer.NONE);
    }

    /**
     * Whether attribute {@code name} is set.
     *
     * @param name the attribute's name
     * @return whether the attribute is set
     */
    public boolean has(String name) {
        checked(name);
        return call(GET, out -> Codec.writeString(out, name), in -> !Wire.absentNext(in));
    }

    /**
     * Removes attribute {@code name}.
     *
     * @throws NoSuchElementException when it has none
     * @param name the attribute's name
     */
    public void delete(String name) {
        checked(name);
        if (!call(DELETE, out -> Codec.writeString(out, name), WireBuffer::readBoolean)) {
            throw new NoSuchElementException("the namespace has no attribute '" + name + "'");
        }
    }

    /**
     * A copy of every attribute, in the order they were first set (Python's {@code vars(ns)}).
     *
     * @return a copy of the attributes
     */
    public Map<String, Object> toMap() {
        return call(ITEMS, ManagerClient.Args.NONE, in -> {
            int n = in.readInt();
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String k = Codec.readString(in);
                m.put(k, Wire.readBlob(in, Object.class));
            }
            return m;
        });
    }

    /** {@code Namespace(x=1, y=abc)}, as Python prints it (strings unquoted). */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", "Namespace(", ")");
        toMap().forEach((k, v) -> j.add(k + "=" + v));
        return j.toString();
    }
}
