package io.mp4j.managers;

import io.mp4j.ipc.shm.TypeCode;
import io.mp4j.managers.DataServants.Value;

/**
 * A value that lives in a manager (Python's {@code manager.Value(typecode, value)}): Python's {@code v.value}
 * is {@link #get()}, {@code v.value = x} is {@link #set(Object)}. It holds what its type code says
 * ({@link TypeCode}'s table): {@code set} converts a number to it or refuses it, in the caller.
 * <pre>{@code
 * ValueProxy counter = manager.value('i', 0);
 * try (var held = lock.hold()) { counter.set(counter.getInt() + 1); }
 * }</pre>
 * Each call is atomic; a read-modify-write is two calls (guard it with a manager lock).
 */
public final class ValueProxy extends BaseProxy {
    private final TypeCode typecode;

    ValueProxy(Token token) {
        super(token);
        typecode = TypeCode.of(token.types().getFirst().charAt(0));
    }

    /**
     * The type code the value was made with.
     *
     * @return the type code
     */
    public TypeCode typecode() { return typecode; }

    /**
     * The value, as its type code's Java type ({@code Integer} for {@code 'i'}...).
     *
     * @return the value
     */
    public Object get() {
        return client().call(id(), Value.GET, ManagerClient.Args.NONE, in -> Wire.readBlob(in, Object.class));
    }

    /**
     * The value as an {@code int} (a number narrowed as {@link Number#intValue()} does).
     *
     * @return the value as an {@code int}
     */
    public int getInt() { return ((Number) get()).intValue(); }

    /**
     * The value as a {@code long}.
     *
     * @return the value as a {@code long}
     */
    public long getLong() { return ((Number) get()).longValue(); }

    /**
     * The value as a {@code double}.
     *
     * @return the value as a {@code double}
     */
    public double getDouble() { return ((Number) get()).doubleValue(); }

    /**
     * The value as a {@code boolean}: a Boolean, or a number other than 0.
     *
     * @return the value as a {@code boolean}
     */
    public boolean getBoolean() {
        Object v = get();
        return v instanceof Boolean b ? b : ((Number) v).longValue() != 0;
    }

    /**
     * Sets the value.
     *
     * @throws IllegalArgumentException when the type code cannot hold it (a fraction for an integer code, out of range...)
     * @param value the new value, in the type code's range
     */
    public void set(Object value) {
        Object v = TypeCodes.convert(typecode, value);
        client().call(id(), Value.SET, out -> Wire.writeBlob(out, v), ManagerClient.Answer.NONE);
    }

    /** {@code Value('i', 5)}, as Python prints a manager's value. */
    @Override public String toString() { return "Value('" + typecode.code() + "', " + get() + ")"; }
}
