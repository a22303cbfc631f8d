package io.mp4j.core.pool;

import io.mp4j.RemoteError;
import io.mp4j.RemoteTraceback;
import io.mp4j.worker.pool.PoolMessages;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Re-creates, in the pool's process (or a manager's client), an exception that a task threw in a worker (a local one or
 * a cluster node) or a manager's server.
 */
public final class RemoteErrors {
    private RemoteErrors() {}

    /**
     * The worker's exception as an instance of its own class when that class is a throwable on this class
     * path with a {@code (String)} or no-argument constructor, else a {@link RemoteError}; its stack trace
     * is the worker's, and its cause a {@link RemoteTraceback} with the worker's whole trace (causes included).
     *
     * @param chain the exception and its causes as the worker (or server) sent them, outermost first
     * @return the exception to throw here
     */
    public static Throwable rebuild(List<PoolMessages.ErrorEntry> chain) {
        PoolMessages.ErrorEntry top = chain.get(0);
        Throwable t = instantiate(top.className(), top.message());
        if (t == null) t = new RemoteError(top.className(), top.message());
        t.setStackTrace(top.frames());
        RemoteTraceback tb = new RemoteTraceback(PoolMessages.format(chain));
        try {
            t.initCause(tb);
        } catch (IllegalStateException e) {
            t = new RemoteError(top.className(), top.message());
            t.setStackTrace(top.frames());
            t.initCause(tb);
        }
        return t;
    }

    private static Throwable instantiate(String name, String message) {
        try {
            Class<?> c = Class.forName(name, false, RemoteErrors.class.getClassLoader());
            if (!Throwable.class.isAssignableFrom(c) || Modifier.isAbstract(c.getModifiers()) || !Modifier.isPublic(c.getModifiers())) return null;
            try {
                Constructor<?> k = c.getConstructor(String.class);
                Throwable t = (Throwable) k.newInstance(message);
                return t.getCause() == null && java.util.Objects.equals(t.getMessage(), message) ? t : null;
            } catch (NoSuchMethodException e) {
                if (message != null) return null;
                Throwable t = (Throwable) c.getConstructor().newInstance();
                return t.getCause() == null ? t : null;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }
}
