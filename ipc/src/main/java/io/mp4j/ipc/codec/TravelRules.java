package io.mp4j.ipc.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.ser.ResolvableSerializer;
import com.fasterxml.jackson.databind.ser.std.BeanSerializerBase;
import com.fasterxml.jackson.databind.type.CollectionLikeType;
import com.fasterxml.jackson.databind.type.CollectionType;
import com.fasterxml.jackson.databind.util.NameTransformer;

import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;

/**
 * What the codec checks while it encodes, so that a value that could not be decoded in another process fails
 * in the sender, naming the culprit, wherever it sits in the value (an argument, a record's field, a list's
 * element). A Jackson module whose serializer modifier acts once per class, when Jackson builds the class's
 * serializer, so that the checks cost nothing per value once a class has passed:
 *
 * <ul>
 *   <li>a type that loses its meaning in another process ({@link ProcessLocalTypes}: locks, atomics,
 *       threads, streams...) gets a serializer that refuses it, naming the library's equivalent;</li>
 *   <li>a record or plain class is decoded once, in the sender, right after its first encoding (a
 *       <em>trial</em>): a class without a usable constructor, or one that Jackson cannot re-create for another
 *       reason, fails there. A later value of a class that passed may still fail to decode in the receiver
 *       (its constructor refuses that value); the receiver then reports that value's failure.</li>
 * </ul>
 */
final class TravelRules extends SimpleModule {
    TravelRules() {
        super("mp4j-travel-rules");
        setSerializerModifier(new Modifier());
    }

    private static final class Modifier extends BeanSerializerModifier {
        @Override
        public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription desc, JsonSerializer<?> ser) {
            Class<?> c = desc.getBeanClass();
            String why = ProcessLocalTypes.refusal(c);
            if (why != null) return new Refusing(why);
            if (ser instanceof BeanSerializerBase && !Admission.isJdk(c)) return new TrialDecoded(cast(ser), c);
            return ser;
        }

        @Override
        public JsonSerializer<?> modifyCollectionSerializer(SerializationConfig config, CollectionType type, BeanDescription desc, JsonSerializer<?> ser) {
            String why = ProcessLocalTypes.refusal(type.getRawClass());
            return why == null ? ser : new Refusing(why);
        }

        @Override
        public JsonSerializer<?> modifyCollectionLikeSerializer(SerializationConfig config, CollectionLikeType type, BeanDescription desc, JsonSerializer<?> ser) {
            String why = ProcessLocalTypes.refusal(type.getRawClass());
            return why == null ? ser : new Refusing(why);
        }
    }

    @SuppressWarnings("unchecked")
    private static JsonSerializer<Object> cast(JsonSerializer<?> s) { return (JsonSerializer<Object>) s; }

    /** The serializer of a type that must not travel: throws the refusal. */
    private static final class Refusing extends JsonSerializer<Object> {
        private final String why;

        Refusing(String why) { this.why = why; }

        @Override public void serialize(Object value, JsonGenerator gen, SerializerProvider p) { throw new CodecException(why); }

        @Override public void serializeWithType(Object value, JsonGenerator gen, SerializerProvider p, TypeSerializer t) {
            throw new CodecException(why);
        }
    }

    /** Classes whose first value was decoded again in this process without failure. */
    private static final Set<Class<?>> PASSED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Classes being tried on this thread (a trial encodes the value again, through this same serializer). */
    private static final ThreadLocal<Set<Class<?>>> TRYING = ThreadLocal.withInitial(HashSet::new);

    /**
     * A record's or plain class's serializer that, until one of its values has passed, decodes the value it
     * has just encoded. Every other call goes to Jackson's serializer unchanged.
     */
    private static final class TrialDecoded extends JsonSerializer<Object> implements ContextualSerializer, ResolvableSerializer {
        private final JsonSerializer<Object> delegate;
        private final Class<?> type;
        private volatile boolean passed;

        TrialDecoded(JsonSerializer<Object> delegate, Class<?> type) {
            this.delegate = delegate;
            this.type = type;
        }

        private void trial(Object value) throws IOException {
            if (passed) return;
            if (PASSED.contains(type)) {
                passed = true;
                return;
            }
            Set<Class<?>> trying = TRYING.get();
            if (!trying.add(type)) return; // the trial's own encoding of this value
            try {
                byte[] b = Codec.mapper().writerFor(type).writeValueAsBytes(value);
                Codec.checkOnly(() -> Codec.mapper().readerFor(type).readValue(b));
                PASSED.add(type);
                passed = true;
            } catch (IOException | RuntimeException e) {
                // a refusal met by the trial's own encoding: as it is, with the path Jackson gave it
                if (Codec.find(e, CodecException.class) != null) throw e;
                throw new CodecException("a " + type.getName() + " could not be re-created in another process: "
                        + Codec.rootMessage(e) + " (Jackson re-creates a record through its canonical constructor, and another"
                        + " class through a constructor without arguments, of any visibility, or one marked @JsonCreator)", e);
            } finally {
                trying.remove(type);
            }
        }

        private JsonSerializer<?> wrap(JsonSerializer<?> d) { return d == delegate ? this : new TrialDecoded(cast(d), type); }

        @Override public void serialize(Object value, JsonGenerator gen, SerializerProvider p) throws IOException {
            trial(value);
            delegate.serialize(value, gen, p);
        }

        @Override public void serializeWithType(Object value, JsonGenerator gen, SerializerProvider p, TypeSerializer t) throws IOException {
            trial(value);
            delegate.serializeWithType(value, gen, p, t);
        }

        @Override public JsonSerializer<?> createContextual(SerializerProvider p, BeanProperty property) throws JsonMappingException {
            return delegate instanceof ContextualSerializer c ? wrap(c.createContextual(p, property)) : this;
        }

        @Override public void resolve(SerializerProvider p) throws JsonMappingException {
            if (delegate instanceof ResolvableSerializer r) r.resolve(p);
        }

        @Override public JsonSerializer<Object> unwrappingSerializer(NameTransformer u) { return cast(wrap(delegate.unwrappingSerializer(u))); }

        @Override public JsonSerializer<?> withFilterId(Object filterId) { return wrap(delegate.withFilterId(filterId)); }

        @Override public JsonSerializer<Object> replaceDelegatee(JsonSerializer<?> d) { return cast(wrap(d)); }

        @Override public JsonSerializer<?> getDelegatee() { return delegate; }

        @Override public boolean isUnwrappingSerializer() { return delegate.isUnwrappingSerializer(); }

        @Override public boolean usesObjectId() { return delegate.usesObjectId(); }

        @Override public boolean isEmpty(SerializerProvider p, Object value) { return delegate.isEmpty(p, value); }

        @Override public Class<Object> handledType() { return delegate.handledType(); }

        @Override public Iterator<PropertyWriter> properties() { return delegate.properties(); }

        @Override public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper v, JavaType t) throws JsonMappingException {
            delegate.acceptJsonFormatVisitor(v, t);
        }
    }
}
