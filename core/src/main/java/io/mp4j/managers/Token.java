package io.mp4j.managers;

import java.util.List;

/**
 * What a proxy is, and what travels in its place (Python's {@code Token} plus the authkey rule): the type of
 * its referent, the manager's address, the referent's id in that manager, the names of the Java types its
 * values decode as, and the manager's authkey in hex when it is not the key of the process that encoded it (a
 * process connects with its own key otherwise, as Python does).
 *
 * @param typeid  the registered type ({@code "dict"}, {@code "Lock"}, a user's typeid)
 * @param address {@link Addresses#format} of the manager's address
 * @param id      the referent's id in the manager
 * @param types   class names the proxy decodes values as (a dict's key and value types...), possibly empty
 * @param authkey the manager's key in hex, or {@code null}: the decoding process's own key
 */
record Token(String typeid, String address, long id, List<String> types, String authkey) {
    Token {
        types = types == null ? List.of() : List.copyOf(types);
    }

    @Override
    public String toString() { return "typeid '" + typeid + "', id " + id + " at " + address; }

    /**
     * A token as a proxy travels in the codec as a top-level value ({@code Codec.registerHandle}): scalars only, so
     * that the process that decodes it needs no Jackson; the type names joined with commas (no class name has one).
     */
    record Handle(String typeid, String address, long id, String types, String authkey) {
        Handle(Token t) { this(t.typeid(), t.address(), t.id(), String.join(",", t.types()), t.authkey()); }

        Token token() { return new Token(typeid, address, id, types.isEmpty() ? List.of() : List.of(types.split(",")), authkey); }
    }
}
