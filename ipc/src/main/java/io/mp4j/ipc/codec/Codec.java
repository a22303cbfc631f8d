package io.mp4j.ipc.codec;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

/**
 * Encodes the values that cross a process boundary: arguments, results, messages.
 *
 * <p>Every value travels in a <em>slot</em> and is decoded against the type the receiver declares
 * (a method's parameter type, a queue's element type). Scalars ({@code boolean}, the boxed numbers,
 * {@code char}, {@link String}, {@code byte[]}) use a compact binary form that needs no Jackson at all,
 * which keeps Jackson off a child's start path when a target takes only scalars. So do the JDK's lists, sets and
 * maps of scalars and arrays of them, nested a few deep (the codec's compact form: an element keeps its exact class,
 * a container arrives as a new mutable one of the declared type, see {@code CompactForm}). Everything else is
 * Jackson Smile (binary JSON), or JSON when {@code -Dmp4j.codec=json} is set for debugging. A {@link Shareable}
 * whose class registered its handle ({@link #registerHandle}) travels as its class name and its handle's
 * components, each in a slot of its own: a queue, pipe end, shared value or lock passed to a child needs no
 * Jackson either (building the mapper costs a fresh JVM more than starting it).
 *
 * <p><b>What may be instantiated.</b> Nothing from the wire chooses an arbitrary class. A slot carries a
 * class name only when the value's class differs from the declared type, and the receiver accepts that
 * name only if the class is assignable to the declared type and is one of: a type registered with
 * {@link #register(Class[])}; a {@link Shareable}; a JDK value type ({@link #isAcceptedJdkType}); an array
 * of those; or a subtype of a declared type that is not a JDK type (a user's own interface or abstract
 * class). Records and plain classes with a no-argument constructor (any visibility) travel as themselves
 * when the declared type names them.
 *
 * <p><b>Checked in the sender.</b> What the receiver would refuse or fail to decode fails in
 * {@link #writeSlot}, naming the value: a class name the receiver would not accept; a type that loses its
 * meaning in another process, anywhere in the value ({@link ProcessLocalTypes}: locks, atomics, threads,
 * streams...); a lambda; a record or class that Jackson cannot re-create (tried once per class, see
 * {@link TravelRules}).
 *
 * <p><b>Jackson modules.</b> The mapper registers Jackson's {@code java.time} (JSR-310) and JDK 8
 * ({@code Optional}, {@code OptionalInt}...) modules, then every {@link com.fasterxml.jackson.databind.Module}
 * named in a {@code META-INF/services/com.fasterxml.jackson.databind.Module} file on the class path
 * (Jackson's own convention, {@code ObjectMapper.findModules}). The parent reads those files; its children
 * are given the names with their launch ({@link #moduleNames}), so a module that a jar provides this way
 * reaches every process without each child looking through every jar.
 *
 * <p>Thread-safe. The Jackson mapper is created on first use.
 */
public final class Codec {
    static final byte NULL = 0, BOOLEAN = 1, BYTE = 2, SHORT = 3, CHAR = 4, INT = 5, LONG = 6,
            FLOAT = 7, DOUBLE = 8, STRING = 9, BYTES = 10, COLLECTION = 11, MAP = 12, ARRAY = 13,
            JACKSON = 20, JACKSON_TAGGED = 21, SHAREABLE = 22;

    private Codec() {}

    /**
     * Lets values of these classes travel where the declared type is wider (for example {@code Object}). A
     * receiving process must have registered them too: children started after this call get the registrations
     * of their parent with their launch (so register before starting processes and pools).
     *
     * @param types the classes, in every process that sends or receives them
     */
    public static void register(Class<?>... types) {
        Admission.register(types);
    }

    /**
     * The names of the classes registered with {@link #register} in this process (for a child's launch).
     *
     * @return the names, sorted
     */
    public static java.util.List<String> registeredNames() {
        return Admission.registeredNames();
    }

    /**
     * Registers the classes named, as the parent registered them (see {@link #registeredNames}).
     *
     * @param names the class names
     * @param loader the class loader to find them with, or null for the library's
     * @return the names that are not on this process's class path
     */
    public static java.util.List<String> registerNamed(java.util.Collection<String> names, ClassLoader loader) {
        return Admission.registerNamed(names, loader);
    }

    /**
     * The Jackson mapper used for non-scalar values (Smile unless {@code mp4j.codec=json}).
     *
     * @return the mapper
     */
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
            m.registerModule(new JavaTimeModule());
            m.registerModule(new Jdk8Module());
            m.registerModule(new TravelRules());
            JacksonModules.registerAll(m);
            return m;
        }
    }

    // ------------------------------------------------------------------ the application's Jackson modules

    /** The service file that names Jackson modules (Jackson's own convention, {@code ObjectMapper.findModules}). */
    public static final String MODULE_SERVICE_FILE = "META-INF/services/com.fasterxml.jackson.databind.Module";

    /** Where the module names found on a class path of jars are kept, one file per class path. */
    public static final String MODULE_CACHE_DIR_PROPERTY = "mp4j.codec.moduleCacheDir";

    /**
     * Marks this JVM as a child of the library's: it does not look for Jackson modules itself (a look through every
     * jar of the class path, on a child's start path), it registers those its parent found ({@link #useModules}).
     */
    public static void takeModulesFromParent() { JacksonModules.takeModulesFromParent(); }

    /**
     * The class names of the Jackson modules this process uses besides the JSR-310 and JDK 8 ones: in a parent,
     * those named in {@value #MODULE_SERVICE_FILE} files on the class path (read once, without loading the
     * classes); in a child, those its parent gave it. A child's launch carries them.
     *
     * @return the module class names
     */
    public static java.util.List<String> moduleNames() { return JacksonModules.moduleNames(); }

    /**
     * Uses these Jackson modules too (a child, given its parent's {@link #moduleNames}): registered now if the mapper
     * exists, else when it is made. A module that cannot be loaded is named in a warning and left out.
     *
     * @param names the modules' class names
     */
    public static void useModules(java.util.Collection<String> names) { JacksonModules.useModules(names); }

    // ------------------------------------------------------------------ shareables without Jackson

    /**
     * Lets values of {@code type} travel as their handle, component by component, without Jackson: the sender writes
     * {@code handle.apply(value)}, the receiver builds the record back and calls {@code attach}. Called from the class's
     * own static initialiser, so that a receiver that resolves the class registers it too. The handle's components are
     * written as slots of their declared types (scalars stay Jackson-free). Jackson's form stays in use for a value of
     * the class nested inside another value.
     *
     * @param <T> the shareable class
     * @param <H> its handle
     * @param type the exact class of the values (a subclass registers itself)
     * @param handleType the handle's record class
     * @param handle what a value travels as (may share it, as a connection end does)
     * @param attach re-attaches a value from its handle, in the receiving process
     */
    public static <T extends Shareable, H extends Record> void registerHandle(Class<T> type, Class<H> handleType,
            java.util.function.Function<? super T, H> handle, java.util.function.Function<? super H, ? extends T> attach) {
        ShareableHandles.register(type, handleType, handle, attach);
    }


    // ------------------------------------------------------------------ slots

    /**
     * Writes {@code value} as a slot to be decoded against {@code declared}; {@code null} when the receiver
     * names the type itself (a connection's {@code recv(Class)}): the value is then written as for {@code Object}
     * and the receiver's acceptance of its class is not checked here.
     *
     * @throws CodecException naming the value's type when it cannot travel
     * @param out where the slot goes
     * @param value the value, or null
     * @param declared the type the receiver declares
     * @throws IOException when {@code out} fails
     */
    public static void writeSlot(DataOutput out, Object value, Type declared) throws IOException {
        if (!ScalarSlots.writeScalar(out, value)) {
            Class<?> c = value.getClass();
            Admission.checkCanTravel(c);
            if (CompactForm.fits(value, declared == null ? Object.class : declared)) {
                writeCompact(out, value);
                return;
            }
            ShareableHandles.Form form = value instanceof Shareable ? ShareableHandles.form(c) : null;
            if (form != null) {
                if (declared != null && !boxed(rawClass(declared)).isAssignableFrom(c)) {
                    throw new CodecException("a " + c.getName() + " cannot travel where " + rawClass(declared).getName() + " is declared");
                }
                if (declared != null) Admission.checkAccepted(c, rawClass(declared));
                out.writeByte(SHAREABLE);
                ShareableHandles.write(out, value, form);
                return;
            }
            boolean receiverNames = declared == null;
            if (receiverNames) declared = Object.class;
            Class<?> raw = rawClass(declared);
            boolean tagged = Admission.needsTag(c, raw);
            if (tagged && !receiverNames) Admission.checkAccepted(c, raw);
            byte[] bytes;
            try {
                bytes = tagged ? mapper().writeValueAsBytes(value)
                        : mapper().writerFor(mapper().constructType(declared)).writeValueAsBytes(value);
            } catch (IOException | RuntimeException e) {
                CodecException refusal = find(e, CodecException.class);
                String at = e instanceof com.fasterxml.jackson.databind.JsonMappingException j && !j.getPath().isEmpty()
                        ? " (at " + j.getPathReference() + ")" : "";
                throw new CodecException("cannot encode a value of type " + c.getName() + at + ": "
                        + (refusal != null ? refusal.getMessage() : rootMessage(e)), e);
            }
            if (tagged) { out.writeByte(JACKSON_TAGGED); writeString(out, c.getName()); }
            else out.writeByte(JACKSON);
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /**
     * Reads a slot written by {@link #writeSlot}, decoding non-scalars against {@code declared}.
     *
     * @param in where the slot comes from
     * @param declared the type the receiver declares
     * @param loader the class loader to find a tagged class with (null: this class's)
     * @return the value
     * @throws IOException when {@code in} fails
     * @throws CodecException for a corrupt slot or a class that may not be instantiated here
     */
    public static Object readSlot(DataInput in, Type declared, ClassLoader loader) throws IOException {
        byte kind = in.readByte();
        switch (kind) {
            case NULL, BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, STRING, BYTES: return ScalarSlots.readScalar(in, kind);
            case COLLECTION, MAP, ARRAY: return CompactForm.read(in, kind, declared == null ? Object.class : declared, 1);
            case JACKSON: {
                byte[] b = new byte[in.readInt()];
                in.readFully(b);
                JavaType t = mapper().constructType(declared == null ? Object.class : declared);
                return decodeJackson(b, t);
            }
            case JACKSON_TAGGED: {
                String name = readString(in);
                byte[] b = new byte[in.readInt()];
                in.readFully(b); // the whole slot is read before anything may fail: the next slot stays readable
                Class<?> c = Admission.resolveTag(name, rawClass(declared), loader);
                return decodeJackson(b, mapper().constructType(c));
            }
            case SHAREABLE: return ShareableHandles.read(in, declared == null ? Object.class : declared, loader);
            default: throw new CodecException("corrupt message: unknown slot kind " + kind);
        }
    }

    /** Writes a container that {@link CompactForm#fits} accepted: its kind, then its body. */
    static void writeCompact(DataOutput out, Object value) throws IOException {
        out.writeByte(value.getClass().isArray() ? ARRAY : value instanceof java.util.Map<?, ?> ? MAP : COLLECTION);
        CompactForm.write(out, value);
    }

    /**
     * Encodes one value on its own (a message, a queue item): a slot in a byte array.
     *
     * @param value the value, or null
     * @param declared the type the receiver declares
     * @return the encoded slot
     * @throws CodecException when the value cannot travel
     */
    public static byte[] encode(Object value, Type declared) {
        var bos = new java.io.ByteArrayOutputStream(64);
        try (var out = new java.io.DataOutputStream(bos)) {
            writeSlot(out, value, declared);
        } catch (IOException e) {
            throw new CodecException("cannot encode: " + e.getMessage(), e);
        }
        return bos.toByteArray();
    }

    /**
     * A decoding that may fail, run by {@link #checkOnly}.
     *
     * @param <T> what the decoding returns
     */
    @FunctionalInterface
    public interface Decoding<T> {
        /**
         * Decodes.
         *
         * @return what was decoded
         * @throws IOException when the decoding fails
         */
        T decode() throws IOException;
    }

    private static final ThreadLocal<Boolean> CHECKING = new ThreadLocal<>();

    /**
     * Runs {@code decoding} as a check of what was just encoded for another process (the parent decoding a
     * launch message, so that what the child could not decode fails in the caller): a {@link Shareable}
     * decoded meanwhile in the process that shared it gives back the original object and leaves its claim
     * for the process the message is for, instead of taking the claim itself ({@link #isCheckOnly()}).
     *
     * @param <T> what the decoding returns
     * @param decoding the decoding to run
     * @return what it returned
     * @throws IOException when the decoding fails
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

    /**
     * Whether this thread is decoding inside {@link #checkOnly}.
     *
     * @return whether the current decoding is a check
     */
    public static boolean isCheckOnly() { return CHECKING.get() != null; }

    /**
     * Decodes a value produced by {@link #encode}.
     *
     * @param bytes what {@link #encode} produced
     * @param declared the type to decode against
     * @return the value
     * @throws CodecException for corrupt bytes or a class that may not be instantiated here
     */
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

    /**
     * Whether {@code c} is one of the JDK value types that travel where a wider type is declared without
     * registration: the boxed scalars, {@code String}, {@code BigInteger}, {@code BigDecimal}, {@code UUID},
     * the common collections and maps, {@code Optional} and its primitive forms, and the {@code java.time}
     * values ({@code Duration}, {@code Instant}, {@code LocalDate}, {@code LocalTime}, {@code LocalDateTime},
     * {@code OffsetDateTime}, {@code OffsetTime}, {@code ZonedDateTime}, {@code Year}, {@code YearMonth},
     * {@code MonthDay}, {@code Period}, {@code ZoneOffset}, {@code DayOfWeek}, {@code Month}).
     *
     * @param c a JDK class
     * @return whether its values travel without registration
     */
    public static boolean isAcceptedJdkType(Class<?> c) { return Admission.isAcceptedJdkType(c); }

    /** The first {@code type} in {@code e}'s chain of causes, or null. */
    static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }

    /**
     * The raw class of a declared type ({@code Object} for type variables and wildcards).
     *
     * @param t a type
     * @return its raw class
     */
    public static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) return c;
        if (t instanceof java.lang.reflect.ParameterizedType p) return (Class<?>) p.getRawType();
        if (t instanceof java.lang.reflect.GenericArrayType g) return rawClass(g.getGenericComponentType()).arrayType();
        return Object.class;
    }

    /**
     * The wrapper class of a primitive, or the class itself.
     *
     * @param c a class
     * @return its wrapper class, or {@code c}
     */
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

    /**
     * Writes a string in the codec's own compact form (read back by {@link #readString}).
     *
     * @param out where it goes
     * @param s the string, not null
     * @throws IOException when {@code out} fails
     */
    public static void writeString(DataOutput out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /**
     * Reads a string written by {@link #writeString}.
     *
     * @param in where it comes from
     * @return the string, or null for one written as null by {@link #writeNullableString}
     * @throws IOException when {@code in} fails
     */
    public static String readString(DataInput in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /**
     * Writes a string that may be null (read back by {@link #readString}, which returns null for it).
     *
     * @param out where it goes
     * @param s the string, or null
     * @throws IOException when {@code out} fails
     */
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
