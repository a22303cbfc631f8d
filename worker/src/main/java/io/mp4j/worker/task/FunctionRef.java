package io.mp4j.worker.task;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.Arrays;

/**
 * A serializable lambda or method reference reduced to what another JVM on the same class path needs
 * to call it: the implementing method (class, name, descriptor, kind) and the captured values.
 *
 * <p>Captured values are encoded against the implementing method's own parameter types, and call
 * arguments against the remaining parameter types, so the receiving side decodes exactly the types the
 * method declares (see {@link Codec}). Built in the parent with {@link #of}, which fails there, naming
 * the culprit, when something cannot travel.
 */
public final class FunctionRef {
    private final String className;
    private final String methodName;
    private final String descriptor;
    private final int kind;
    private final Object[] captured;
    private final Executable target;
    /** Declared types of all values the executable takes, the receiver first for instance methods. */
    private final Type[] allTypes;
    /** The tail of {@link #allTypes} after the captured values, and its raw classes: read per call, never exposed. */
    private final Type[] callTypes;
    private final Class<?>[] callRaw;
    private final boolean staticMethod;

    private FunctionRef(String className, String methodName, String descriptor, int kind, Object[] captured, Executable target) {
        this.className = className;
        this.methodName = methodName;
        this.descriptor = descriptor;
        this.kind = kind;
        this.captured = captured;
        this.target = target;
        Type[] params = target.getGenericParameterTypes();
        if (isInstance()) {
            allTypes = new Type[params.length + 1];
            allTypes[0] = target.getDeclaringClass();
            System.arraycopy(params, 0, allTypes, 1, params.length);
        } else {
            allTypes = params;
        }
        if (captured.length > allTypes.length) {
            throw new IllegalArgumentException("lambda captures more values than " + describe() + " takes");
        }
        callTypes = Arrays.copyOfRange(allTypes, captured.length, allTypes.length);
        callRaw = new Class<?>[callTypes.length];
        for (int i = 0; i < callTypes.length; i++) callRaw[i] = Codec.rawClass(callTypes[i]);
        staticMethod = target instanceof Method m && Modifier.isStatic(m.getModifiers());
    }

    /**
     * Reduces a serializable lambda or method reference; throws naming it when it is not one.
     *
     * @param fn a serializable lambda or method reference
     * @return its reference
     * @throws IllegalArgumentException naming {@code fn} when it is not a serializable lambda or method reference
     */
    public static FunctionRef of(Serializable fn) {
        if (fn == null) throw new IllegalArgumentException("target must not be null");
        SerializedLambda sl = serializedLambda(fn);
        String cls = sl.getImplClass().replace('/', '.');
        ClassLoader loader = fn.getClass().getClassLoader();
        Executable exe = resolve(cls, sl.getImplMethodName(), sl.getImplMethodSignature(), sl.getImplMethodKind(), loader);
        Object[] cap = new Object[sl.getCapturedArgCount()];
        for (int i = 0; i < cap.length; i++) cap[i] = sl.getCapturedArg(i);
        return new FunctionRef(cls, sl.getImplMethodName(), sl.getImplMethodSignature(), sl.getImplMethodKind(), cap, exe);
    }

    private static SerializedLambda serializedLambda(Serializable fn) {
        Class<?> c = fn.getClass();
        if (!c.isSynthetic() && !c.isHidden()) {
            throw new IllegalArgumentException("target " + c.getName() + " is not a lambda or method reference;"
                    + " pass a method reference such as MyClass::work, or subclass the process class and override run()");
        }
        try {
            Method m = c.getDeclaredMethod("writeReplace");
            m.setAccessible(true);
            Object r = m.invoke(fn);
            if (r instanceof SerializedLambda sl) return sl;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("target " + c.getName() + " is not a serializable lambda: " + e, e);
        }
        throw new IllegalArgumentException("target " + c.getName() + " is not a serializable lambda");
    }

    private static Executable resolve(String cls, String name, String desc, int kind, ClassLoader loader) {
        try {
            Class<?> c = Class.forName(cls, false, loader);
            Class<?>[] params = MethodType.fromMethodDescriptorString(desc, loader).parameterArray();
            Executable e = kind == MethodHandleInfo.REF_newInvokeSpecial
                    ? c.getDeclaredConstructor(params) : c.getDeclaredMethod(name, params);
            e.setAccessible(true);
            return e;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new CodecException("cannot find " + cls + "." + name + desc + " on the class path: " + e, e);
        }
    }

    private boolean isInstance() {
        return kind == MethodHandleInfo.REF_invokeVirtual || kind == MethodHandleInfo.REF_invokeInterface
                || kind == MethodHandleInfo.REF_invokeSpecial;
    }

    /**
     * The values the lambda captured (a copy).
     *
     * @return the captured values
     */
    public Object[] capturedValues() { return captured.clone(); }

    /**
     * The class that declares the implementing method (for lambdas, the class that wrote the lambda).
     *
     * @return the class
     */
    public Class<?> declaringClass() { return target.getDeclaringClass(); }

    /**
     * The declared types of the call arguments (what the caller passes besides captured values).
     *
     * @return the types, one per call argument
     */
    public Type[] argTypes() { return callTypes.clone(); }

    /**
     * The declared result type ({@code void.class} for procedures, the class for constructors).
     *
     * @return the result type
     */
    public Type returnType() {
        return target instanceof Method m ? m.getGenericReturnType() : target.getDeclaringClass();
    }

    /**
     * {@code Class.method(ParamType, ...)}, for messages.
     *
     * @return the description
     */
    public String describe() {
        String simple = className.substring(className.lastIndexOf('.') + 1);
        StringBuilder sb = new StringBuilder(simple).append('.')
                .append(kind == MethodHandleInfo.REF_newInvokeSpecial ? "<init>" : methodName).append('(');
        Class<?>[] p = target.getParameterTypes();
        for (int i = 0; i < p.length; i++) sb.append(i == 0 ? "" : ", ").append(p[i].getSimpleName());
        return sb.append(')').toString();
    }

    /**
     * Checks that {@code args} fit the call parameters (count and type), so that a bad call fails in
     * the caller rather than in the child.
     *
     * @param args the call arguments
     * @throws IllegalArgumentException naming the argument that does not fit
     */
    public void checkArgs(Object[] args) {
        Type[] types = callTypes;
        if (args.length != types.length) {
            throw new IllegalArgumentException("target " + describe() + " takes " + types.length
                    + " argument(s) besides captured ones, got " + args.length + ": " + Arrays.toString(args));
        }
        for (int i = 0; i < args.length; i++) {
            Class<?> raw = callRaw[i];
            if (args[i] == null) {
                if (raw.isPrimitive()) throw new IllegalArgumentException("argument " + i + " of " + describe() + " is null but the parameter is " + raw);
                continue;
            }
            Class<?> actual = args[i].getClass();
            // exact type first: Class.isAssignableFrom on classes the JIT cannot see as constants is a VM call,
            // and this runs once per item of a map
            if (actual != raw && !assignable(raw, actual)) {
                throw new IllegalArgumentException("argument " + i + " of " + describe() + " is a "
                        + args[i].getClass().getName() + " (" + args[i] + "), expected " + types[i].getTypeName());
            }
        }
    }

    private static boolean assignable(Class<?> param, Class<?> actual) {
        if (!param.isPrimitive()) return param.isAssignableFrom(actual);
        Class<?> b = Codec.boxed(param);
        if (b == actual) return true;
        // widening primitive conversions that Method.invoke performs
        if (param == long.class) return actual == Integer.class || actual == Short.class || actual == Byte.class || actual == Character.class;
        if (param == int.class) return actual == Short.class || actual == Byte.class || actual == Character.class;
        if (param == double.class) return actual == Float.class || actual == Integer.class || actual == Long.class || actual == Short.class || actual == Byte.class;
        if (param == float.class) return actual == Integer.class || actual == Long.class || actual == Short.class || actual == Byte.class;
        return false;
    }

    /**
     * Writes the reference and its captured values.
     *
     * @param out where it goes
     * @throws IOException when {@code out} fails, or a captured value cannot travel
     */
    public void write(DataOutput out) throws IOException {
        Codec.writeString(out, className);
        Codec.writeString(out, methodName);
        Codec.writeString(out, descriptor);
        out.writeByte(kind);
        out.writeShort(captured.length);
        for (int i = 0; i < captured.length; i++) {
            try {
                Codec.writeSlot(out, captured[i], allTypes[i]);
            } catch (CodecException e) {
                throw new CodecException(capturedCannotTravel(i, e.getMessage()), e);
            }
        }
    }

    /**
     * Encodes the captured values into nothing, as {@link #write} would, so that what cannot travel fails now
     * (for a target kept to be sent later, such as a barrier's action). Shared objects are left out: they
     * always travel, and encoding some (a connection end) hands out a claim on them.
     *
     * @throws CodecException naming the captured value that cannot travel
     */
    public void checkCanTravel() {
        var sink = new java.io.DataOutputStream(java.io.OutputStream.nullOutputStream());
        for (int i = 0; i < captured.length; i++) {
            if (captured[i] instanceof io.mp4j.ipc.codec.Shareable) continue;
            try {
                Codec.writeSlot(sink, captured[i], allTypes[i]);
            } catch (CodecException e) {
                throw new CodecException(capturedCannotTravel(i, e.getMessage()), e);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Why captured value {@code i} cannot travel, saying what it is to the target: a bound receiver or a captured value. */
    private String capturedCannotTravel(int i, String why) {
        Object v = captured[i];
        boolean lambdaBody = methodName.startsWith("lambda$");
        if (i == 0 && isInstance() && lambdaBody) {
            // a lambda whose body uses this (a field, an instance method) captures its enclosing object
            return "target " + describe() + " is a lambda that uses this (an instance of " + target.getDeclaringClass().getName()
                    + ", captured with it), which cannot travel: " + why + "; make the lambda use only local values and"
                    + " static methods, or pass a method reference to a static method";
        }
        boolean receiver = i == 0 && isInstance();
        if (receiver && v != null && v.getClass().isHidden() && target.getDeclaringClass().isInterface()) {
            // f::apply where f is a lambda: the method reference is serializable, the lambda it is bound to is not
            return "target " + describe() + " is a method reference bound to a lambda (such as f::" + methodName + " where f is a "
                    + target.getDeclaringClass().getName() + "): that lambda cannot travel, its class exists only in this JVM;"
                    + " pass a method reference to a named method (MyClass::method) or a lambda written at the call instead"
                    + " (if f is one of the library's serializable function types, pass f itself rather than f::" + methodName + ")";
        }
        if (receiver) {
            return "target " + describe() + " is bound to an instance of " + target.getDeclaringClass().getName()
                    + " (a method reference such as object::" + methodName + "), which travels with it and cannot: " + why
                    + "; use a static method, or a method reference on a class whose instances can travel (a record)";
        }
        return "target " + describe() + " captures a value that cannot travel (captured value " + i
                + (v == null ? "" : ", a " + v.getClass().getName()) + "): " + why;
    }

    /**
     * Reads a reference written by {@link #write}, resolving its method on this class path.
     *
     * @param in where it comes from
     * @param loader the class loader to find the method's class with
     * @return the reference
     * @throws IOException when {@code in} fails or the method is not found on this class path
     */
    public static FunctionRef read(DataInput in, ClassLoader loader) throws IOException {
        String cls = Codec.readString(in);
        String name = Codec.readString(in);
        String desc = Codec.readString(in);
        int kind = in.readByte();
        Executable exe = resolve(cls, name, desc, kind, loader);
        int n = in.readShort();
        Type[] params = exe.getGenericParameterTypes();
        boolean instance = kind == MethodHandleInfo.REF_invokeVirtual || kind == MethodHandleInfo.REF_invokeInterface
                || kind == MethodHandleInfo.REF_invokeSpecial;
        Object[] cap = new Object[n];
        for (int i = 0; i < n; i++) {
            Type t = instance ? (i == 0 ? exe.getDeclaringClass() : params[i - 1]) : params[i];
            cap[i] = Codec.readSlot(in, t, loader);
        }
        return new FunctionRef(cls, name, desc, kind, cap, exe);
    }

    /**
     * Writes call arguments against {@link #argTypes()}.
     *
     * @param out where they go
     * @param args the call arguments
     * @throws IOException when {@code out} fails, or an argument cannot travel
     */
    public void writeArgs(DataOutput out, Object[] args) throws IOException {
        Type[] types = callTypes;
        out.writeShort(args.length);
        for (int i = 0; i < args.length; i++) {
            try {
                Codec.writeSlot(out, args[i], i < types.length ? types[i] : Object.class);
            } catch (CodecException e) {
                throw new CodecException("argument " + i + " of " + describe() + " cannot travel: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads call arguments written by {@link #writeArgs}. When one cannot be decoded, the others are read all the
     * same (so that what follows them stays readable), then a {@link CodecException} names the first that failed.
     *
     * @param in where they come from
     * @param loader the class loader for tagged classes
     * @return the call arguments
     * @throws IOException when {@code in} fails
     */
    public Object[] readArgs(DataInput in, ClassLoader loader) throws IOException {
        Type[] types = callTypes;
        int n = in.readShort();
        Object[] args = new Object[n];
        CodecException failed = null;
        for (int i = 0; i < n; i++) {
            try {
                args[i] = Codec.readSlot(in, i < types.length ? types[i] : Object.class, loader);
            } catch (CodecException | LinkageError | AssertionError e) {
                // a constructor that refused the value, or a class that failed to load: that argument's failure;
                // any other Error (out of memory, stack overflow) leaves the process in doubt and goes on up
                if (failed == null) failed = new CodecException("argument " + i + " of " + describe() + " cannot be decoded in "
                        + (io.mp4j.ipc.codec.Codec.isCheckOnly() ? "the caller" : "this process (pid " + ProcessHandle.current().pid() + ")")
                        + ": " + e.getMessage(), e);
            }
        }
        if (failed != null) throw failed;
        return args;
    }

    /**
     * Calls the function with {@code args}; an exception thrown by the function is rethrown as itself
     * (not wrapped in {@link InvocationTargetException}).
     *
     * @param args the call arguments
     * @return what the function returned ({@code null} for a procedure)
     * @throws Throwable whatever the function threw
     */
    public Object invoke(Object[] args) throws Throwable {
        Object[] all;
        if (captured.length == 0) all = args;
        else {
            all = Arrays.copyOf(captured, captured.length + args.length);
            System.arraycopy(args, 0, all, captured.length, args.length);
        }
        try {
            if (target instanceof Constructor<?> c) return c.newInstance(all);
            Method m = (Method) target;
            if (staticMethod) return m.invoke(null, all);
            if (all.length == 0 || all[0] == null) throw new NullPointerException("no receiver for " + describe());
            return m.invoke(all[0], Arrays.copyOfRange(all, 1, all.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
