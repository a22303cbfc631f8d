package io.mp4j.managers;

import io.mp4j.ipc.shm.TypeCode;

/**
 * A manager's {@code Value} and {@code Array} hold what their type code says, as Java's boxed types (the table of
 * {@link TypeCode}): a value given is converted here, in the caller, or refused with the value and the type code
 * named. (Python's manager {@code Value} does not check; its {@code Array} does, as {@code array.array}.)
 */
final class TypeCodes {
    private TypeCodes() {}

    /** {@code value} as type code {@code code} holds it. */
    static Object convert(TypeCode code, Object value) {
        if (value == null) throw new IllegalArgumentException("type code '" + code.code() + "' cannot hold null");
        return switch (code) {
            case FLOAT -> (float) number(code, value).doubleValue();
            case DOUBLE -> number(code, value).doubleValue();
            case BOOLEAN -> switch (value) {
                case Boolean b -> b;
                case Number n when integral(n) && (n.longValue() == 0 || n.longValue() == 1) -> n.longValue() == 1;
                default -> throw refused(code, value);
            };
            default -> {
                long v = integer(code, value);
                yield switch (code) {
                    case BYTE, CHAR -> (byte) v;
                    case UNSIGNED_BYTE, SHORT -> (short) v;
                    case UNSIGNED_SHORT, INT -> (int) v;
                    default -> v;
                };
            }
        };
    }

    private static Number number(TypeCode code, Object value) {
        if (value instanceof Number n) return n;
        throw refused(code, value);
    }

    private static boolean integral(Number n) {
        return n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof java.math.BigInteger;
    }

    private static long integer(TypeCode code, Object value) {
        long v;
        if (value instanceof Character c && code == TypeCode.CHAR) v = c;
        else if (value instanceof Number n && integral(n)) {
            if (n instanceof java.math.BigInteger b && b.bitLength() > 64) throw outOfRange(code, value);
            v = n.longValue();
        } else throw refused(code, value);
        long min, max;
        switch (code) {
            case BYTE -> { min = Byte.MIN_VALUE; max = Byte.MAX_VALUE; }
            case UNSIGNED_BYTE, CHAR -> { min = code == TypeCode.CHAR ? Byte.MIN_VALUE : 0; max = 255; }
            case SHORT -> { min = Short.MIN_VALUE; max = Short.MAX_VALUE; }
            case UNSIGNED_SHORT -> { min = 0; max = 65535; }
            case INT -> { min = Integer.MIN_VALUE; max = Integer.MAX_VALUE; }
            case UNSIGNED_INT -> { min = 0; max = 0xFFFF_FFFFL; }
            default -> { min = Long.MIN_VALUE; max = Long.MAX_VALUE; }
        }
        if (v < min || v > max) throw outOfRange(code, value);
        return v;
    }

    private static IllegalArgumentException refused(TypeCode code, Object value) {
        return new IllegalArgumentException("type code '" + code.code() + "' cannot hold a " + value.getClass().getSimpleName() + ": value=" + value);
    }

    private static IllegalArgumentException outOfRange(TypeCode code, Object value) {
        return new IllegalArgumentException("value out of range for type code '" + code.code() + "': value=" + value);
    }
}
