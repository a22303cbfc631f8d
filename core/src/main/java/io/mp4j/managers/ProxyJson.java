package io.mp4j.managers;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;

/**
 * How a proxy travels in the codec inside another value (a list of proxies, a proxy stored in a proxy; one that is
 * itself the argument or the message travels as its {@link Token.Handle}, without Jackson, see {@link BaseProxy}):
 * as its {@link Token}, and back as a new proxy of the class the receiver
 * declared or the codec's tag named (one the codec has checked: a {@link BaseProxy} assignable to the declared
 * type). Declared on {@link BaseProxy}, so it applies to every proxy class, the collection ones included (which
 * Jackson would otherwise treat as maps, lists and queues). Decoding makes no connection.
 */
final class ProxyJson {
    private ProxyJson() {}

    static final class Serializer extends StdSerializer<BaseProxy> {
        Serializer() { super(BaseProxy.class); }

        @Override
        public void serialize(BaseProxy value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(value.wireToken(), gen);
        }
    }

    static final class Deserializer extends StdDeserializer<BaseProxy> implements ContextualDeserializer {
        private final Class<?> target;

        Deserializer() { this(BaseProxy.class); }

        private Deserializer(Class<?> target) {
            super(target);
            this.target = target;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
            JavaType t = ctxt.getContextualType();
            return t == null ? this : new Deserializer(t.getRawClass());
        }

        @Override
        public BaseProxy deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Token token = ctxt.readValue(p, Token.class);
            return attach(target, token);
        }
    }

    /** A proxy of class {@code c} for {@code token}. */
    static BaseProxy attach(Class<?> c, Token token) throws IOException {
        if (!BaseProxy.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers()) || c.getPackage() != BaseProxy.class.getPackage()) {
            throw new IOException("cannot decode a proxy as " + c.getName() + ": expected one of the proxy classes of " + BaseProxy.class.getPackageName());
        }
        try {
            Constructor<?> k = c.getDeclaredConstructor(Token.class);
            return (BaseProxy) k.newInstance(token);
        } catch (ReflectiveOperationException e) {
            throw new IOException("cannot make a " + c.getSimpleName() + " for " + token + ": " + e, e);
        }
    }
}
