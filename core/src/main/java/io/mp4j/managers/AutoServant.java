package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.wire.WireBuffer;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Map;

/**
 * The server's side of a registered type: calls the referent's exposed methods by reflection, decoding their
 * arguments and encoding their result against the interface's declared (generic) types, as the proxy did. The
 * referent's methods run on the server's session threads, possibly several at once (one per connection, as in a
 * Python manager): a referent shared by processes must be thread-safe.
 */
final class AutoServant implements Server.Servant {
    static final int INVOKE = 1, TO_STRING = 2;

    private final Object referent;
    private final Registry.Entry entry;
    private final Map<String, Method> methods;

    AutoServant(Object referent, Registry.Entry entry) {
        this.referent = referent;
        this.entry = entry;
        this.methods = entry.methods();
        for (Method m : methods.values()) {
            try {
                m.setAccessible(true); // the interface or its class may be package-private
            } catch (RuntimeException e) {
                // public ones need no access
            }
        }
    }

    @Override
    public void call(int method, WireBuffer in, WireBuffer out, Server.Session s) throws Exception {
        switch (method) {
            case INVOKE -> invoke(in, out);
            case TO_STRING -> Codec.writeString(out, String.valueOf(referent));
            default -> throw DataServants.unknown(entry.typeid(), method);
        }
    }

    private void invoke(WireBuffer in, WireBuffer out) throws Exception {
        String signature = Codec.readString(in);
        Method m = methods.get(signature);
        if (m == null) {
            throw new UnsupportedOperationException("method " + signature + " of '" + entry.typeid() + "' is not exposed (exposed: "
                    + methods.keySet() + ")");
        }
        Type[] types = m.getGenericParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < args.length; i++) args[i] = Codec.readSlot(in, types[i], Wire.loader());
        Object result;
        try {
            result = m.invoke(referent, args);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof Exception x) throw x;
            if (t instanceof Error x) throw x;
            throw e;
        }
        if (m.getReturnType() != void.class) Codec.writeSlot(out, result, m.getGenericReturnType());
    }

    @Override
    public String toString() { return "'" + entry.typeid() + "' (" + referent.getClass().getName() + ")"; }
}
