package io.mp4j.ipc.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

import static io.mp4j.ipc.codec.Codec.*;

/**
 * The scalar slots: {@code boolean}, the boxed numbers, {@code char}, {@link String} and {@code byte[]} (and null),
 * each a kind byte and its value in binary, with no Jackson; used by {@link Codec} for a slot and by
 * {@link CompactForm} for the elements of a container.
 */
final class ScalarSlots {
    private ScalarSlots() {}

    /** Writes {@code value} as a scalar slot (null included) and says so, or writes nothing and returns false. */
    static boolean writeScalar(DataOutput out, Object value) throws IOException {
        if (value == null) { out.writeByte(NULL); return true; }
        Class<?> c = value.getClass();
        if (c == Integer.class) { out.writeByte(INT); out.writeInt((Integer) value); }
        else if (c == Long.class) { out.writeByte(LONG); out.writeLong((Long) value); }
        else if (c == Double.class) { out.writeByte(DOUBLE); out.writeDouble((Double) value); }
        else if (c == String.class) { out.writeByte(STRING); Codec.writeString(out, (String) value); }
        else if (c == Boolean.class) { out.writeByte(BOOLEAN); out.writeBoolean((Boolean) value); }
        else if (c == byte[].class) { byte[] b = (byte[]) value; out.writeByte(BYTES); out.writeInt(b.length); out.write(b); }
        else if (c == Float.class) { out.writeByte(FLOAT); out.writeFloat((Float) value); }
        else if (c == Byte.class) { out.writeByte(BYTE); out.writeByte((Byte) value); }
        else if (c == Short.class) { out.writeByte(SHORT); out.writeShort((Short) value); }
        else if (c == Character.class) { out.writeByte(CHAR); out.writeChar((Character) value); }
        else return false;
        return true;
    }

    /** Reads the body of a scalar slot whose kind byte was {@code kind}. */
    static Object readScalar(DataInput in, byte kind) throws IOException {
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
            case STRING: return Codec.readString(in);
            case BYTES: { byte[] b = new byte[in.readInt()]; in.readFully(b); return b; }
            default: throw new CodecException("corrupt message: slot kind " + kind + " where a scalar was expected");
        }
    }

    /** The scalar slot kind of values of class {@code c}, or 0 when they are no scalar. */
    static byte scalarKind(Class<?> c) {
        if (c == Integer.class) return INT;
        if (c == Long.class) return LONG;
        if (c == Double.class) return DOUBLE;
        if (c == String.class) return STRING;
        if (c == Boolean.class) return BOOLEAN;
        if (c == byte[].class) return BYTES;
        if (c == Float.class) return FLOAT;
        if (c == Byte.class) return BYTE;
        if (c == Short.class) return SHORT;
        if (c == Character.class) return CHAR;
        return 0;
    }

    /** The class of the values of scalar slot kind {@code kind} (not {@code NULL}), or null. */
    static Class<?> scalarClass(byte kind) {
        return switch (kind) {
            case INT -> Integer.class;
            case LONG -> Long.class;
            case DOUBLE -> Double.class;
            case STRING -> String.class;
            case BOOLEAN -> Boolean.class;
            case BYTES -> byte[].class;
            case FLOAT -> Float.class;
            case BYTE -> Byte.class;
            case SHORT -> Short.class;
            case CHAR -> Character.class;
            default -> null;
        };
    }

    /** Whether values of class {@code c} travel in a scalar slot. */
    static boolean isScalar(Class<?> c) { return scalarKind(c) != 0; }
}
