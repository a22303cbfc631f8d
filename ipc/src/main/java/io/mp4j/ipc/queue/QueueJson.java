package io.mp4j.ipc.queue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * How {@link Queue} and {@link JoinableQueue} travel through the codec: as their {@link QueueHandle}.
 * They are {@code Collection}s, which Jackson would otherwise iterate; hence explicit (de)serializers
 * instead of {@code @JsonValue}/{@code @JsonCreator}.
 */
final class QueueJson {
    private QueueJson() {}

    static final class Serializer extends StdSerializer<Queue<?>> {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Serializer() { super((Class) Queue.class); }

        @Override
        public void serialize(Queue<?> q, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(q.handle(), gen);
        }
    }

    static final class QueueDeserializer extends StdDeserializer<Queue<?>> {
        QueueDeserializer() { super(Queue.class); }

        @Override
        public Queue<?> deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return Queue.attach(ctx.readValue(p, QueueHandle.class));
        }
    }

    static final class JoinableDeserializer extends StdDeserializer<JoinableQueue<?>> {
        JoinableDeserializer() { super(JoinableQueue.class); }

        @Override
        public JoinableQueue<?> deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return JoinableQueue.attach(ctx.readValue(p, QueueHandle.class));
        }
    }
}
