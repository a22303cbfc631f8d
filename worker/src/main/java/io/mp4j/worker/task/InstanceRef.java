package io.mp4j.worker.task;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * An object whose {@code run()} is the task (a subclass of the process class overriding {@code run()}):
 * its class name and the values of its non-static, non-transient fields, each encoded against the
 * field's declared type. The receiving side allocates the object without running a constructor (as Java
 * deserialization does) and sets the fields.
 */
public final class InstanceRef {
    private final Object instance;

    /**
     * A reference to {@code instance}, to be written.
     *
     * @param instance the object whose {@code run()} is the task
     */
    public InstanceRef(Object instance) { this.instance = instance; }

    /**
     * The object.
     *
     * @return the object
     */
    public Object instance() { return instance; }

    private static List<Field> fields(Class<?> c) {
        List<Field> out = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            for (Field f : k.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.isSynthetic()) continue;
                f.setAccessible(true);
                out.add(f);
            }
        }
        return out;
    }

    /**
     * Writes the class name and the fields.
     *
     * @param out where it goes
     * @throws IOException when {@code out} fails
     * @throws IllegalArgumentException for an inner or local class, or a field that cannot travel
     */
    public void write(DataOutput out) throws IOException {
        Class<?> c = instance.getClass();
        if (c.isAnonymousClass() || c.isLocalClass() || c.isHidden()) {
            throw new IllegalArgumentException("a process subclass must be a top-level or static nested class to be"
                    + " re-created in another JVM: " + c.getName());
        }
        if (c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers())) {
            throw new IllegalArgumentException("process subclass " + c.getName() + " is an inner class: make it static");
        }
        Codec.writeString(out, c.getName());
        List<Field> fs = fields(c);
        out.writeShort(fs.size());
        for (Field f : fs) {
            Codec.writeString(out, f.getDeclaringClass().getName() + "#" + f.getName());
            try {
                Codec.writeSlot(out, f.get(instance), f.getGenericType());
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            } catch (CodecException e) {
                throw new CodecException("field " + f.getName() + " of " + c.getName() + " cannot travel: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads an object written by {@link #write}, without running a constructor.
     *
     * @param in where it comes from
     * @param loader the class loader to find its class with
     * @return the reference
     * @throws IOException when {@code in} fails or the class cannot be made
     */
    public static InstanceRef read(DataInput in, ClassLoader loader) throws IOException {
        String name = Codec.readString(in);
        try {
            Class<?> c = Class.forName(name, false, loader);
            Object obj = allocate(c);
            List<Field> fs = fields(c);
            int n = in.readShort();
            for (int i = 0; i < n; i++) {
                String key = Codec.readString(in);
                Field f = fs.stream().filter(x -> (x.getDeclaringClass().getName() + "#" + x.getName()).equals(key))
                        .findFirst().orElseThrow(() -> new CodecException("no field " + key + " in " + name));
                Object v = Codec.readSlot(in, f.getGenericType(), loader);
                if (Modifier.isFinal(f.getModifiers())) {
                    // final instance fields: setAccessible lets reflection set them on a fresh object
                    f.setAccessible(true);
                }
                f.set(obj, v);
            }
            return new InstanceRef(obj);
        } catch (ReflectiveOperationException e) {
            throw new CodecException("cannot re-create " + name + ": " + e, e);
        }
    }

    @SuppressWarnings("removal")
    private static Object allocate(Class<?> c) throws ReflectiveOperationException {
        Constructor<?> base = Object.class.getDeclaredConstructor();
        Constructor<?> ctor = sun.reflect.ReflectionFactory.getReflectionFactory().newConstructorForSerialization(c, base);
        return ctor.newInstance();
    }

    /**
     * Calls the object's {@code run()}; its exception is rethrown unwrapped.
     *
     * @throws Throwable whatever {@code run()} threw
     */
    public void run() throws Throwable {
        Method m = findRun(instance.getClass());
        try {
            m.invoke(instance);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Method findRun(Class<?> c) throws NoSuchMethodException {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            try {
                Method m = k.getDeclaredMethod("run");
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException ignored) {
                // look in the superclass
            }
        }
        throw new NoSuchMethodException(c.getName() + ".run()");
    }
}
