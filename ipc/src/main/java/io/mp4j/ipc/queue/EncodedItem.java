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
        // the codec refuses here, in put, what no consumer could decode: a class name a consumer would not accept
        // under the element type, a class Jackson cannot re-create, a lock or other process-local object
        return new EncodedItem(SLOT, 0, Codec.encode(item, elementType));
    }
}
