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
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
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
    private static final byte NULL = 0, BOOLEAN = 1, BYTE = 2, SHORT = 3, CHAR = 4, INT = 5, LONG = 6,
            FLOAT = 7, DOUBLE = 8, STRING = 9, BYTES = 10, JACKSON = 20, JACKSON_TAGGED = 21, SHAREABLE = 22;

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

    private Codec() {}

    /**
     * Lets values of these classes travel where the declared type is wider (for example {@code Object}). A
     * receiving process must have registered them too: children started after this call get the registrations
     * of their parent with their launch (so register before starting processes and pools).
     *
     * @param types the classes, in every process that sends or receives them
     */
    public static void register(Class<?>... types) {
        for (Class<?> t : types) {
            if (t == null) throw new IllegalArgumentException("type must not be null");
            REGISTERED.add(t);
        }
    }

    /**
     * The names of the classes registered with {@link #register} in this process (for a child's launch).
     *
     * @return the names, sorted
     */
    public static java.util.List<String> registeredNames() {
        return REGISTERED.stream().map(Class::getName).sorted().toList();
    }

    /**
     * Registers the classes named, as the parent registered them (see {@link #registeredNames}).
     *
     * @param names the class names
     * @param loader the class loader to find them with, or null for the library's
     * @return the names that are not on this process's class path
     */
    public static java.util.List<String> registerNamed(java.util.Collection<String> names, ClassLoader loader) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        for (String n : names) {
            try {
                REGISTERED.add(Class.forName(n, false, loader == null ? Codec.class.getClassLoader() : loader));
            } catch (ClassNotFoundException | LinkageError e) {
                missing.add(n);
            }
        }
        return missing;
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
            synchronized (MODULES_LOCK) {
                for (String n : moduleNames()) registerModule(m, n);
                mapperCreated = true;
            }
            return m;
        }
    }

    // ------------------------------------------------------------------ the application's Jackson modules

    /** The service file that names Jackson modules (Jackson's own convention, {@code ObjectMapper.findModules}). */
    public static final String MODULE_SERVICE_FILE = "META-INF/services/com.fasterxml.jackson.databind.Module";

    private static final Object MODULES_LOCK = new Object();
    /** Set in a child JVM of the library: it takes its parent's module names instead of looking for them. */
    private static volatile boolean childProcess;
    /** The modules' class names, found or given; null until first needed. Guarded by MODULES_LOCK. */
    private static java.util.List<String> moduleNames;
    /** Whether the mapper exists (modules given later are registered on it at once). Guarded by MODULES_LOCK. */
    private static boolean mapperCreated;

    /**
     * Marks this JVM as a child of the library's: it does not look for Jackson modules itself (a look through every
     * jar of the class path, on a child's start path), it registers those its parent found ({@link #useModules}).
     */
    public static void takeModulesFromParent() { childProcess = true; }

    /**
     * The class names of the Jackson modules this process uses besides the JSR-310 and JDK 8 ones: in a parent,
     * those named in {@value #MODULE_SERVICE_FILE} files on the class path (read once, without loading the
     * classes); in a child, those its parent gave it. A child's launch carries them.
     *
     * @return the module class names
     */
    public static java.util.List<String> moduleNames() {
        synchronized (MODULES_LOCK) {
            if (moduleNames == null) moduleNames = childProcess ? java.util.List.of() : findModuleNames();
            return moduleNames;
        }
    }

    /**
     * Uses these Jackson modules too (a child, given its parent's {@link #moduleNames}): registered now if the mapper
     * exists, else when it is made. A module that cannot be loaded is named in a warning and left out.
     *
     * @param names the modules' class names
     */
    public static void useModules(java.util.Collection<String> names) {
        synchronized (MODULES_LOCK) {
            java.util.List<String> now = new java.util.ArrayList<>(moduleNames());
            for (String n : names) {
                if (now.contains(n)) continue;
                now.add(n);
                if (mapperCreated) registerModule(MapperHolder.MAPPER, n);
            }
            moduleNames = java.util.List.copyOf(now);
        }
    }

    /** Where the module names found on a class path of jars are kept, one file per class path ({@link #findModuleNames}). */
    public static final String MODULE_CACHE_DIR_PROPERTY = "mp4j.codec.moduleCacheDir";

    /**
     * The module names of the service files on the class path. Looking means opening every jar (110–130 ms of CPU for
     * the bench's 59 jars: docs/journal/2026-12-07-first-use.md), on every parent's first start: for a class path of
     * jars only, the answer is kept on disk under a key made of each jar's path, size and modification time, so that
     * it is looked for once per machine and class path, not once per JVM.
     */
    private static java.util.List<String> findModuleNames() {
        boolean appLoaderOnly = loaders().size() == 1 && loaders().getFirst() == ClassLoader.getSystemClassLoader();
        if (!appLoaderOnly) return scanModuleNames();
        return findModuleNames(System.getProperty("java.class.path", ""), java.nio.file.Path.of(System.getProperty(MODULE_CACHE_DIR_PROPERTY,
                System.getProperty("user.home") + "/.cache/mp4j/jackson-modules")));
    }

    /** {@link #findModuleNames()} for this class path, kept in {@code cacheDir} when the class path is of jars only. */
    static java.util.List<String> findModuleNames(String classPath, java.nio.file.Path cacheDir) {
        String key = moduleCacheKey(classPath);
        if (key == null) return scanModuleNames();
        long h = 0xcbf29ce484222325L;   // FNV-1a, 64 bits: the file's first line holds the whole key
        for (int i = 0; i < key.length(); i++) h = (h ^ key.charAt(i)) * 0x100000001b3L;
        java.nio.file.Path cache = cacheDir.resolve(Long.toHexString(h) + ".txt");
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(cache, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.getFirst().equals(key)) return java.util.List.copyOf(lines.subList(1, lines.size()));
        } catch (IOException | RuntimeException e) {
            // none yet, or unreadable: look
        }
        java.util.List<String> found = scanModuleNames();
        try {
            java.nio.file.Files.createDirectories(cacheDir);
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(cacheDir, cache.getFileName().toString(), ".tmp");
            java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(key));
            lines.addAll(found);
            java.nio.file.Files.write(tmp, lines, StandardCharsets.UTF_8);
            java.nio.file.Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // only a shortcut: the next JVM looks again
        }
        return found;
    }

    /** Every class-path entry as path, size and modification time; null when one is not a regular file (a directory). */
    static String moduleCacheKey(String classPath) {
        StringBuilder k = new StringBuilder();
        for (String e : classPath.split(java.io.File.pathSeparator)) {
            if (e.isEmpty()) continue;
            java.io.File f = new java.io.File(e);
            if (!f.isFile()) return null;
            k.append(f.getAbsolutePath()).append(' ').append(f.length()).append(' ').append(f.lastModified()).append('|');
        }
        return k.isEmpty() ? null : k.toString();
    }

    private static java.util.List<String> scanModuleNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (ClassLoader l : loaders()) {
            try {
                var urls = l.getResources(MODULE_SERVICE_FILE);
                while (urls.hasMoreElements()) {
                    try (var in = urls.nextElement().openStream()) {
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                            int hash = line.indexOf('#');
                            String n = (hash < 0 ? line : line.substring(0, hash)).strip();
                            if (!n.isEmpty()) names.add(n);
                        }
                    }
                }
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(Codec.class).warn("cannot read the {} files: {}", MODULE_SERVICE_FILE, e.toString());
            }
        }
        return java.util.List.copyOf(names);
    }

    /** The library's own loader (a child's class path is its parent's), then the thread's when it is another. */
    private static java.util.List<ClassLoader> loaders() {
        ClassLoader own = Codec.class.getClassLoader(), tccl = Thread.currentThread().getContextClassLoader();
        return tccl == null || tccl == own ? java.util.List.of(own) : java.util.List.of(own, tccl);
    }

    private static void registerModule(ObjectMapper m, String name) {
        Throwable failure = null;
        for (ClassLoader l : loaders()) {
            try {
                Class<?> c = Class.forName(name, true, l);
                m.registerModule((com.fasterxml.jackson.databind.Module) c.getConstructor().newInstance());
                return;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                failure = e;
            }
        }
        org.slf4j.LoggerFactory.getLogger(Codec.class).warn("the Jackson module {} (named in {}) cannot be used; the values"
                + " that need it will not travel: {}", name, MODULE_SERVICE_FILE, String.valueOf(failure));
    }

    // ------------------------------------------------------------------ shareables without Jackson

    /** How a registered shareable class travels: its handle (a record) out, the object back from one. */
    private record HandleForm(Class<? extends Record> handleType, java.util.function.Function<Object, Record> handle,
                              java.util.function.Function<Record, Object> attach) {}

    private static final java.util.Map<Class<?>, HandleForm> HANDLE_FORMS = new ConcurrentHashMap<>();

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
    @SuppressWarnings("unchecked")
    public static <T extends Shareable, H extends Record> void registerHandle(Class<T> type, Class<H> handleType,
            java.util.function.Function<? super T, H> handle, java.util.function.Function<? super H, ? extends T> attach) {
        HANDLE_FORMS.put(type, new HandleForm(handleType, v -> handle.apply((T) v), h -> attach.apply((H) h)));
    }

    private static void writeHandle(DataOutput out, Object value, HandleForm form) throws IOException {
        Record h;
        try {
            h = form.handle().apply(value);
        } catch (RuntimeException e) {
            CodecException refusal = find(e, CodecException.class);
            throw new CodecException("cannot encode a value of type " + value.getClass().getName() + ": "
                    + (refusal != null ? refusal.getMessage() : rootMessage(e)), e);
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
        for (int i = 0; i < cs.length; i++) writeSlot(bodyOut, parts[i], cs[i].getGenericType());
        out.writeByte(SHAREABLE);
        writeString(out, value.getClass().getName());
        out.writeInt(body.size());
        out.write(body.toByteArray());
    }

    private static Object readHandle(DataInput in0, Type declared, ClassLoader loader) throws IOException {
        String name = readString(in0);
        byte[] body = new byte[in0.readInt()];
        in0.readFully(body); // the whole slot is read before anything may fail: the next slot stays readable
        DataInput in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(body));
        Class<?> c = resolveTag(name, rawClass(declared), loader);
        HandleForm form = HANDLE_FORMS.get(c);
        if (form == null) {
            try {   // its static initialiser registers it
                Class.forName(c.getName(), true, c.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new CodecException("cannot decode: class " + name + " is not on this process's class path");
            }
            form = HANDLE_FORMS.get(c);
        }
        if (form == null) throw new CodecException("corrupt message: " + name + " has no handle form in this process");
        java.lang.reflect.RecordComponent[] cs = form.handleType().getRecordComponents();
        Class<?>[] types = new Class<?>[cs.length];
        Object[] parts = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            types[i] = cs[i].getType();
            parts[i] = readSlot(in, cs[i].getGenericType(), loader);
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
            throw new CodecException("cannot decode a value of type " + name + ": " + rootMessage(e), e);
        }
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
            checkCanTravel(c);
            HandleForm form = value instanceof Shareable ? HANDLE_FORMS.get(c) : null;
            if (form != null) {
                if (declared != null && !boxed(rawClass(declared)).isAssignableFrom(c)) {
                    throw new CodecException("a " + c.getName() + " cannot travel where " + rawClass(declared).getName() + " is declared");
                }
                if (declared != null) checkAccepted(c, rawClass(declared));
                writeHandle(out, value, form);
                return;
            }
            boolean receiverNames = declared == null;
            if (receiverNames) declared = Object.class;
            Class<?> raw = rawClass(declared);
            boolean tagged = needsTag(c, raw);
            if (tagged && !receiverNames) checkAccepted(c, raw);
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
                in.readFully(b); // the whole slot is read before anything may fail: the next slot stays readable
                Class<?> c = resolveTag(name, rawClass(declared), loader);
                return decodeJackson(b, mapper().constructType(c));
            }
            case SHAREABLE: return readHandle(in, declared == null ? Object.class : declared, loader);
            default: throw new CodecException("corrupt message: unknown slot kind " + kind);
        }
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
    public static boolean isAcceptedJdkType(Class<?> c) { return JDK_ALLOWED.contains(c.getName()); }

    /** The sender's side of {@link #resolveTag}: refuses what the receiver would refuse, naming what to do. */
    private static void checkAccepted(Class<?> c, Class<?> declared) {
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
    private static void checkCanTravel(Class<?> c) {
        String why = ProcessLocalTypes.refusal(c);
        if (why != null) throw new CodecException(why);
        if (c.isHidden()) {
            throw new CodecException("a " + c.getName() + " (a lambda or other hidden class) cannot travel as a value:"
                    + " its class exists only in the JVM that made it; pass a method reference as the task itself, or"
                    + " the data the lambda works on");
        }
    }

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
