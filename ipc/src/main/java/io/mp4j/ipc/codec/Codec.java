package io.mp4j.ipc.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.channels.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes the values that cross a process boundary: arguments, results, messages.
 *
 * <p>Every value travels in a <em>slot</em> and is decoded against the type the receiver declares
 * (a method's parameter type, a queue's element type). Scalars ({@code boolean}, the boxed numbers,
 * {@code char}, {@link String}, {@code byte[]}) use a compact binary form that needs no Jackson at all,
 * which keeps Jackson off a child's start path when a target takes only scalars. Everything else is
 * Jackson Smile (binary JSON), or JSON when {@code -Dmp4j.codec=json} is set for debugging.
 *
 * <p><b>What may be instantiated.</b> Nothing from the wire chooses an arbitrary class. A slot carries a
 * class name only when the value's class differs from the declared type, and the receiver accepts that
 * name only if the class is assignable to the declared type and is one of: a type registered with
 * {@link #register(Class[])}; a {@link Shareable}; a JDK scalar or collection; or a subtype of a declared
 * type that is not a JDK type (a user's own interface or abstract class). Records and plain classes with
 * a no-argument constructor (any visibility) travel as themselves when the declared type names them.
 *
 * <p>Thread-safe. The Jackson mapper is created on first use.
 */
public final class Codec {
    private static final byte NULL = 0, BOOLEAN = 1, BYTE = 2, SHORT = 3, CHAR = 4, INT = 5, LONG = 6,
            FLOAT = 7, DOUBLE = 8, STRING = 9, BYTES = 10, JACKSON = 20, JACKSON_TAGGED = 21;

    private static final Set<Class<?>> REGISTERED = ConcurrentHashMap.newKeySet();
    private static final Set<String> JDK_ALLOWED = Set.of(
            "java.lang.String", "java.lang.Integer", "java.lang.Long", "java.lang.Double", "java.lang.Float",
            "java.lang.Short", "java.lang.Byte", "java.lang.Character", "java.lang.Boolean",
            "java.math.BigInteger", "java.math.BigDecimal",
            "java.util.ArrayList", "java.util.LinkedList", "java.util.HashMap", "java.util.LinkedHashMap",
            "java.util.TreeMap", "java.util.HashSet", "java.util.LinkedHashSet", "java.util.TreeSet",
            "java.util.ArrayDeque", "java.util.Optional", "java.time.Duration", "java.time.Instant");

    private Codec() {}

    /** Lets values of these classes travel where the declared type is wider (for example {@code Object}). */
    public static void register(Class<?>... types) {
        for (Class<?> t : types) {
            if (t == null) throw new IllegalArgumentException("type must not be null");
            REGISTERED.add(t);
        }
    }

    /** The Jackson mapper used for non-scalar values (Smile unless {@code mp4j.codec=json}). */
    public static ObjectMapper mapper() { return MapperHolder.MAPPER; }

    private static final class MapperHolder {
        static final ObjectMapper MAPPER = create();

        private static ObjectMapper create() {
            ObjectMapper m = "json".equalsIgnoreCase(System.getProperty("mp4j.codec"))
                    ? new ObjectMapper() : new SmileMapper();
            m.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
            m.setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE);
            m.setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE);
            m.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
            m.enable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
            return m;
        }
    }

    // ------------------------------------------------------------------ slots

    /**
     * Writes {@code value} as a slot to be decoded against {@code declared}.
     *
     * @throws CodecException naming the value's type when it cannot travel
     */
    public static void writeSlot(DataOutput out, Object value, Type declared) throws IOException {
        if (value == null) { out.writeByte(NULL); return; }
        Class<?> c = value.getClass();
        if (c == Integer.class) { out.writeByte(INT); out.writeInt((Integer) value); }
        else if (c == Long.class) { out.writeByte(LONG); out.writeLong((Long) value); }
        else if (c == Double.class) { out.writeByte(DOUBLE); out.writeDouble((Double) value); }
        else if (c == String.class) { out.writeByte(STRING); writeString(out, (String) value); }
        else if (c == Boolean.class) { out.writeByte(BOOLEAN); out.writeBoolean((Boolean) value); }
        else if (c == byte[].class) { byte[] b = (byte[]) value; out.writeByte(BYTES); out.writeInt(b.length); out.write(b); }
        else if (c == Float.class) { out.writeByte(FLOAT); out.writeFloat((Float) value); }
        else if (c == Byte.class) { out.writeByte(BYTE); out.writeByte((Byte) value); }
        else if (c == Short.class) { out.writeByte(SHORT); out.writeShort((Short) value); }
        else if (c == Character.class) { out.writeByte(CHAR); out.writeChar((Character) value); }
        else {
            checkCanTravel(value);
            Class<?> raw = rawClass(declared);
            boolean tagged = needsTag(c, raw);
            byte[] bytes;
            try {
                bytes = tagged ? mapper().writeValueAsBytes(value)
                        : mapper().writerFor(mapper().constructType(declared)).writeValueAsBytes(value);
            } catch (IOException | RuntimeException e) {
                throw new CodecException("cannot encode a value of type " + c.getName() + ": " + rootMessage(e), e);
            }
            if (tagged) { out.writeByte(JACKSON_TAGGED); writeString(out, c.getName()); }
            else out.writeByte(JACKSON);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /** Reads a slot written by {@link #writeSlot}, decoding non-scalars against {@code declared}. */
    public static Object readSlot(DataInput in, Type declared, ClassLoader loader) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case NULL: return null;
            case BOOLEAN: return in.readBoolean();
            case BYTE: return in.readByte();
            case SHORT: return in.readShort();
            case CHAR: return in.readChar();
            case INT: return in.readInt();
            case LONG: return in.readLong();
            case FLOAT: return in.readFloat();
            case DOUBLE: return in.readDouble();
            case STRING: return readString(in);
            case BYTES: { byte[] b = new byte[in.readInt()]; in.readFully(b); return b; }
            case JACKSON: {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                JavaType t = mapper().constructType(declared == null ? Object.class : declared);
                return decodeJackson(b, t);
            }
            case JACKSON_TAGGED: {
                String name = readString(in);
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                Class<?> c = resolveTag(name, rawClass(declared), loader);
                return decodeJackson(b, mapper().constructType(c));
            }
            default: throw new CodecException("corrupt message: unknown slot kind " + kind);
        }
    }

    /** Encodes one value on its own (a message, a queue item): a slot in a byte array. */
    public static byte[] encode(Object value, Type declared) {
        var bos = new java.io.ByteArrayOutputStream(64);
        try (var out = new java.io.DataOutputStream(bos)) {
            writeSlot(out, value, declared);
        } catch (IOException e) {
            throw new CodecException("cannot encode: " + e.getMessage(), e);
        }
        return bos.toByteArray();
    }

    /** A decoding that may fail, run by {@link #checkOnly}. */
    @FunctionalInterface
    public interface Decoding<T> {
        T decode() throws IOException;
    }

    private static final ThreadLocal<Boolean> CHECKING = new ThreadLocal<>();

    /**
     * Runs {@code decoding} as a check of what was just encoded for another process (the parent decoding a
     * launch message, so that what the child could not decode fails in the caller): a {@link Shareable}
     * decoded meanwhile in the process that shared it gives back the original object and leaves its claim
     * for the process the message is for, instead of taking the claim itself ({@link #isCheckOnly()}).
     */
    public static <T> T checkOnly(Decoding<T> decoding) throws IOException {
        Boolean outer = CHECKING.get();
        CHECKING.set(Boolean.TRUE);
        try {
            return decoding.decode();
        } finally {
            if (outer == null) CHECKING.remove();
            else CHECKING.set(outer);
        }
    }

    /** Whether this thread is decoding inside {@link #checkOnly}. */
    public static boolean isCheckOnly() { return CHECKING.get() != null; }

    /** Decodes a value produced by {@link #encode}. */
    public static Object decode(byte[] bytes, Type declared) {
        try (var in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes))) {
            return readSlot(in, declared, Thread.currentThread().getContextClassLoader());
        } catch (IOException e) {
            throw new CodecException("cannot decode: " + e.getMessage(), e);
        }
    }

    private static Object decodeJackson(byte[] b, JavaType t) {
        try {
            return mapper().readerFor(t).readValue(b);
        } catch (IOException | RuntimeException e) {
            throw new CodecException("cannot decode a value of type " + t.toCanonical() + ": " + rootMessage(e), e);
        }
    }

    private static boolean needsTag(Class<?> actual, Class<?> declared) {
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

    private static Class<?> resolveTag(String name, Class<?> declared, ClassLoader loader) {
        Class<?> c;
        try {
            c = Class.forName(name, false, loader == null ? Codec.class.getClassLoader() : loader);
        } catch (ClassNotFoundException e) {
            throw new CodecException("cannot decode: class " + name + " is not on this process's class path");
        }
        if (!declared.isAssignableFrom(boxed(c)) && !boxed(declared).isAssignableFrom(c)) {
            throw new CodecException("refused to decode class " + name + ": not assignable to the declared type " + declared.getName());
        }
        boolean declaredIsUserType = declared != Object.class && !isJdk(declared);
        if (REGISTERED.contains(c) || Shareable.class.isAssignableFrom(c) || JDK_ALLOWED.contains(name) || declaredIsUserType) {
            return c;
        }
        throw new CodecException("refused to decode class " + name + " where " + declared.getName()
                + " is declared: register it with Codec.register(" + c.getSimpleName() + ".class) in every process");
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
    }

    private static void checkCanTravel(Object v) {
        if (v instanceof Thread || v instanceof InputStream || v instanceof OutputStream || v instanceof Channel
                || v instanceof ClassLoader || v instanceof java.lang.Process || v instanceof java.net.Socket
                || v instanceof java.net.ServerSocket || v instanceof AutoCloseable && !(v instanceof Shareable)) {
            throw new CodecException("a " + v.getClass().getName() + " cannot travel to another process"
                    + " (threads, streams, sockets, open resources stay in the process that made them)");
        }
    }

    /** The raw class of a declared type ({@code Object} for type variables and wildcards). */
    public static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof java.lang.reflect.ParameterizedType p) return (Class<?>) p.getRawType();
        if (t instanceof java.lang.reflect.GenericArrayType g) return rawClass(g.getGenericComponentType()).arrayType();
        return Object.class;
    }

    /** The wrapper class of a primitive, or the class itself. */
    public static Class<?> boxed(Class<?> c) {
        if (!c.isPrimitive()) return c;
        if (c == int.class) return Integer.class;
        if (c == long.class) return Long.class;
        if (c == double.class) return Double.class;
        if (c == boolean.class) return Boolean.class;
        if (c == float.class) return Float.class;
        if (c == byte.class) return Byte.class;
        if (c == short.class) return Short.class;
        if (c == char.class) return Character.class;
        return Void.class;
    }

    public static void writeString(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    public static void writeNullableString(DataOutput out, String s) throws IOException {
        if (s == null) out.writeInt(-1); else writeString(out, s);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
