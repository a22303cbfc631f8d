package io.mp4j.ipc.queue;

import io.mp4j.ipc.codec.Codec;

import java.lang.reflect.Type;

/**
 * One item encoded in the caller's thread before it touches the log, so that an item that cannot travel
 * fails in {@code put}. Ints and longs, the common case, skip the codec: a tag and the number. Anything
 * else is a {@link Codec} slot decoded against the queue's element type.
 */
record EncodedItem(byte tag, long scalar, byte[] slot) {
    static final byte INT = 1, LONG = 2, SLOT = 3;

    static EncodedItem encode(Object item, Type elementType) {
        if (item instanceof Integer i) return new EncodedItem(INT, i, null);
        if (item instanceof Long l) return new EncodedItem(LONG, l, null);
        byte[] slot = Codec.encode(item, elementType);
        // an item travelling under a wider declared type carries its class name, which a consumer accepts
        // only for allowed types (registered, records of a declared user type, JDK types): check it here,
        // so that an item no consumer could decode fails in put rather than in some consumer's get
        if (item.getClass() != elementType) Codec.decode(slot, elementType);
        return new EncodedItem(SLOT, 0, slot);
    }
}
