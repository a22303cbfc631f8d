package io.mp4j.ipc.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Shareable} classes that travel as their handle, without Jackson ({@link Codec#registerHandle}): the
 * sender writes the class name and the handle record's components as slots; the receiver builds the record back
 * and attaches the object. Thread-safe.
 */
final class ShareableHandles {
    private ShareableHandles() {}

    /** How a registered shareable class travels: its handle (a record) out, the object back from one. */
    record Form(Class<? extends Record> handleType, java.util.function.Function<Object, Record> handle,
                java.util.function.Function<Record, Object> attach) {}

    private static final java.util.Map<Class<?>, Form> FORMS = new ConcurrentHashMap<>();

    /** Writes the handle of {@code value} (after the slot's tag), its components as slots. */
    static void write(DataOutput out, Object value, Form form) throws IOException {
        Record h;
        try {
            h = form.handle().apply(value);
        } catch (RuntimeException e) {
            CodecException refusal = Codec.find(e, CodecException.class);
            throw new CodecException("cannot encode a value of type " + value.getClass().getName() + ": "
                    + (refusal != null ? refusal.getMessage() : Codec.rootMessage(e)), e);
        }
        java.lang.reflect.RecordComponent[] cs = form.handleType().getRecordComponents();
        Object[] parts = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            try {
                java.lang.reflect.Method m = cs[i].getAccessor();
                m.setAccessible(true);
                parts[i] = m.invoke(h);
            } catch (ReflectiveOperationException e) {
                throw new CodecException("cannot read the handle of a " + value.getClass().getName() + ": " + e, e);
            }
        }
        var body = new java.io.ByteArrayOutputStream(64);
        var bodyOut = new java.io.DataOutputStream(body);
        for (int i = 0; i < cs.length; i++) Codec.writeSlot(bodyOut, parts[i], cs[i].getGenericType());
        Codec.writeString(out, value.getClass().getName());
        out.writeInt(body.size());
        out.write(body.toByteArray());
    }

    /** Reads a handle written by {@link #write} and attaches its object in this process. */
    static Object read(DataInput in0, Type declared, ClassLoader loader) throws IOException {
        String name = Codec.readString(in0);
        byte[] body = new byte[in0.readInt()];
        in0.readFully(body); // the whole slot is read before anything may fail: the next slot stays readable
        DataInput in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(body));
        Class<?> c = Admission.resolveTag(name, Codec.rawClass(declared), loader);
        Form form = FORMS.get(c);
        if (form == null) {
            try {   // its static initialiser registers it
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new CodecException("cannot decode: class " + name + " is not on this process's class path");
            }
            form = FORMS.get(c);
        }
        if (form == null) throw new CodecException("corrupt message: " + name + " has no handle form in this process");
        java.lang.reflect.RecordComponent[] cs = form.handleType().getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        Object[] parts = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            parts[i] = Codec.readSlot(in, cs[i].getGenericType(), loader);
        }
        Record h;
        try {
            var ctor = form.handleType().getDeclaredConstructor(types);
            ctor.setAccessible(true);
            h = ctor.newInstance(parts);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new CodecException("cannot decode the handle of a " + name + ": " + e, e);
        }
        try {
            return form.attach().apply(h);
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("cannot decode a value of type " + name + ": " + Codec.rootMessage(e), e);
        }
    }

    /** The form registered for exactly {@code c}, or null. */
    static Form form(Class<?> c) { return FORMS.get(c); }

    @SuppressWarnings("unchecked")
    static <T extends Shareable, H extends Record> void register(Class<T> type, Class<H> handleType,
            java.util.function.Function<? super T, H> handle, java.util.function.Function<? super H, ? extends T> attach) {
        FORMS.put(type, new Form(handleType, v -> handle.apply((T) v), h -> attach.apply((H) h)));
    }
}
