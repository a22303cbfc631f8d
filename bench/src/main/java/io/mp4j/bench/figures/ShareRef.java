package io.mp4j.bench.figures;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * A shared object (one with {@code handle()} and a static {@code attach(Handle)}) as a string, for figures
 * written before the object's type is on this branch (a target's parameter cannot name the type yet):
 * {@code class name \n handle JSON}. The child re-attaches it exactly as the codec would.
 */
final class ShareRef {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ShareRef() {}

    static String of(Object shared) throws Exception {
        Object handle = Dyn.call(shared, "handle");
        return shared.getClass().getName() + "\n" + JSON.writeValueAsString(handle);
    }

    static Object attach(String ref) throws Exception {
        int nl = ref.indexOf('\n');
        Class<?> type = Class.forName(ref.substring(0, nl));
        for (Method m : type.getMethods()) {
            if (m.getName().equals("attach") && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1) {
                Object handle = JSON.readValue(ref.substring(nl + 1), m.getParameterTypes()[0]);
                return m.invoke(null, handle);
            }
        }
        throw new NotBuiltException("no static " + type.getSimpleName() + ".attach(handle)");
    }
}
