package io.mp4j.managers;

import io.mp4j.ipc.codec.Codec;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.Arrays;
import java.util.List;

/**
 * A proxy of an object of a registered type (Python's {@code AutoProxy}): {@link #get()} is the object seen
 * through its interface, each method call a request to the manager, which runs the method on the object in its
 * process (the interface's methods, or those named when the type was registered).
 * <pre>{@code
 * interface Counter { int increment(int by); }
 * SyncManager m = ctx.managerBuilder().register("Counter", Counter.class, CounterImpl::new).start();
 * AutoProxy<Counter> c = m.create("Counter", Counter.class);
 * pool.map(Tasks::bump, List.of(c, c, c));          // the task: c.get().increment(1)
 * }</pre>
 *
 * <p>The {@code AutoProxy} travels (to children, tasks, queues, other proxies); the interface view that
 * {@link #get()} returns does not, as a JDK dynamic proxy: pass the {@code AutoProxy}. Arguments and results are
 * encoded against the method's declared types, so a record declared there needs no registration. An exception
 * the method throws comes back as itself when the method declares it or it is unchecked, else wrapped in an
 * {@link UndeclaredThrowableException}. {@code toString()} of the view is the object's own, from the manager;
 * {@code equals} and {@code hashCode} compare the proxies.
 *
 * @param <T> the interface the object is served as
 */
public final class AutoProxy<T> extends BaseProxy {
    private final Class<?> type;
    private volatile T view;

    AutoProxy(Token token) {
        super(token);
        type = type(0);
        if (!type.isInterface()) throw new io.mp4j.ipc.codec.CodecException("a proxy of " + token + " needs an interface, not " + type.getName());
    }

    /**
     * The interface the object is reached through.
     *
     * @return the interface the object is reached through
     */
    public Class<?> type() { return type; }

    /**
     * The object, seen through its interface: each call is a request to the manager.
     *
     * @return the object, seen through its interface
     */
    @SuppressWarnings("unchecked")
    public T get() {
        T v = view;
        if (v == null) {
            view = v = (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[]{type}, new Handler());
        }
        return v;
    }

    /**
     * Python's {@code _callmethod(name, args)}: calls the method of the interface named {@code name} that takes
     * {@code args.length} arguments.
     *
     * @throws IllegalArgumentException when there is no such method, or several
     * @param name the method's name
     * @param args the method's arguments
     * @return what the method returned
     * @throws Exception what the method threw in the server, as its own class
     */
    public Object callMethod(String name, Object... args) throws Exception {
        List<Method> found = Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(name) && m.getParameterCount() == args.length).toList();
        if (found.size() != 1) {
            throw new IllegalArgumentException((found.isEmpty() ? "no method " : "several methods ") + name + " with " + args.length
                    + " arguments in " + type.getName());
        }
        try {
            return invoke(found.getFirst(), args);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new UndeclaredThrowableException(t);
        }
    }

    private Object invoke(Method m, Object[] args) throws Throwable {
        String signature = Registry.signature(m);
        java.lang.reflect.Type[] types = m.getGenericParameterTypes();
        Object[] a = args == null ? new Object[0] : args;
        try {
            return client().callChecked(id(), AutoServant.INVOKE, out -> {
                Codec.writeString(out, signature);
                for (int i = 0; i < a.length; i++) Codec.writeSlot(out, a[i], types[i]);
            }, in -> m.getReturnType() == void.class ? null : Codec.readSlot(in, m.getGenericReturnType(), Wire.loader()), false);
        } catch (ManagerClient.RemoteFailure f) {
            Throwable t = f.error;
            if (t instanceof RuntimeException || t instanceof Error) throw t;
            for (Class<?> declared : m.getExceptionTypes()) if (declared.isInstance(t)) throw t;
            throw new UndeclaredThrowableException(t, "the manager's '" + typeid() + "' threw " + t);
        }
    }

    private String remoteToString() {
        return client().call(id(), AutoServant.TO_STRING, ManagerClient.Args.NONE, Codec::readString);
    }

    /** Calls the interface's methods through the manager; the {@code Object} methods are answered here. */
    private final class Handler implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "equals" -> args[0] != null && Proxy.isProxyClass(args[0].getClass())
                            && Proxy.getInvocationHandler(args[0]) instanceof AutoProxy<?>.Handler h && h.owner().equals(AutoProxy.this);
                    case "hashCode" -> AutoProxy.this.hashCode();
                    default -> remoteToString();
                };
            }
            return AutoProxy.this.invoke(m, args);
        }

        AutoProxy<T> owner() { return AutoProxy.this; }
    }
}
