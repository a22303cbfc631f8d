package io.mp4j.managers;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.mp4j.Multiprocessing;
import io.mp4j.StartMethod;
import io.mp4j.ipc.codec.Shareable;

import java.util.HexFormat;

/**
 * A reference to an object that lives in a manager's server process (Python's {@code BaseProxy}): every call
 * on a proxy is a request to the server, answered before the call returns, so what one process does through a
 * proxy is visible to every process that calls afterwards.
 *
 * <h2>Travelling</h2>
 * A proxy is {@link Shareable}: pass it to a child process, a pool task, a queue or another proxy (a dict of
 * lists), and it arrives as a proxy of the same object. It carries no connection, only the manager's address,
 * the object's id, and the manager's authkey when that is not the key of the process that sends it (a process
 * otherwise connects with its own key, inherited from its parent). Each process connects on its first call.
 *
 * <h2>Values are copies</h2>
 * A value stored in a shared object is encoded when it is stored and decoded when it is fetched: a
 * {@code java.util.ArrayList} fetched from a dict proxy is a new list, and changing it changes nothing in the
 * manager (Python's rule for mutable values in a proxy). Store it back ({@code dict.put(key, list)}), or store a
 * proxy instead ({@code dict.put(key, manager.list())}), whose changes are shared.
 *
 * <h2>Failures</h2>
 * A call on a proxy whose manager is gone throws {@link ManagerUnavailableException} at once, also a call that
 * was waiting in the server when it went. An exception thrown in the server by the object (an index out of
 * range, a registered type's own exception) is re-thrown in the caller as its own class when this process can
 * make one, with the server's stack trace as its cause ({@link io.mp4j.RemoteTraceback}).
 *
 * <p>Thread-safe: calls of several threads go to the server at once, each on a connection of its own.
 */
@JsonSerialize(using = ProxyJson.Serializer.class)
@JsonDeserialize(using = ProxyJson.Deserializer.class)
public abstract class BaseProxy implements Shareable {
    static {
        // a proxy travels as its token's scalars when it is a top-level argument or message (see Codec#registerHandle):
        // a fresh child handed one then decodes its launch without building Jackson's mapper (ProxyJson: nested ones)
        travelsAsHandle(DictProxy.class, DictProxy::new);
        travelsAsHandle(ListProxy.class, ListProxy::new);
        travelsAsHandle(Namespace.class, Namespace::new);
        travelsAsHandle(QueueProxy.class, QueueProxy::new);
        travelsAsHandle(JoinableQueueProxy.class, JoinableQueueProxy::new);
        travelsAsHandle(LockProxy.class, LockProxy::new);
        travelsAsHandle(RLockProxy.class, RLockProxy::new);
        travelsAsHandle(SemaphoreProxy.class, SemaphoreProxy::new);
        travelsAsHandle(BoundedSemaphoreProxy.class, BoundedSemaphoreProxy::new);
        travelsAsHandle(ConditionProxy.class, ConditionProxy::new);
        travelsAsHandle(EventProxy.class, EventProxy::new);
        travelsAsHandle(BarrierProxy.class, BarrierProxy::new);
        travelsAsHandle(ValueProxy.class, ValueProxy::new);
        travelsAsHandle(ArrayProxy.class, ArrayProxy::new);
        travelsAsHandle(AutoProxy.class, AutoProxy::new);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void travelsAsHandle(Class type, java.util.function.Function<Token, ? extends BaseProxy> make) {
        io.mp4j.ipc.codec.Codec.registerHandle(type, Token.Handle.class, p -> new Token.Handle(((BaseProxy) p).wireToken()),
                h -> make.apply(((Token.Handle) h).token()));
    }

    final Token token;
    private volatile ManagerClient client;

    BaseProxy(Token token) { this.token = token; }

    /**
     * The type of the referent in its manager ({@code "dict"}, {@code "Lock"}, a registered typeid).
     *
     * @return the name the object's type was registered with
     */
    public final String typeid() { return token.typeid(); }

    /**
     * The manager's address ({@code unix:/path} or {@code tcp:host:port}).
     *
     * @return the manager's address ({@code unix:/path} or {@code tcp:host:port})
     */
    public final String managerAddress() { return token.address(); }

    final ManagerClient client() {
        ManagerClient c = client;
        if (c == null) client = c = ManagerClient.of(token.address(), authkey(token));
        return c;
    }

    final long id() { return token.id(); }

    /** The key a proxy connects with: the one it carries, else this process's own. */
    static byte[] authkey(Token t) { return t.authkey() != null ? HexFormat.of().parseHex(t.authkey()) : processKey(); }

    /** This process's own key (the one children inherit): a child's inherited one, else the contexts' key. */
    static byte[] processKey() {
        byte[] inherited = io.mp4j.worker.ChildRuntime.authkey(); // without loading the contexts, on a child's first call
        return inherited != null && inherited.length > 0 ? inherited : Multiprocessing.getContext(StartMethod.THREAD).authkey();
    }

    /** The wire form: with the key only where it is not this process's own. */
    final Token wireToken() {
        if (token.authkey() == null || !java.util.Arrays.equals(authkey(token), processKey())) return token;
        return new Token(token.typeid(), token.address(), token.id(), token.types(), null);
    }

    /** The token of a new object, carrying {@code key} when it is not this process's own. */
    static Token newToken(String typeid, String address, long id, java.util.List<String> types, byte[] key) {
        String hex = java.util.Arrays.equals(key, processKey()) ? null : HexFormat.of().formatHex(key);
        return new Token(typeid, address, id, types, hex);
    }

    /** The class a proxy decodes its values as, by name ({@code Object} when not given). */
    final Class<?> type(int i) {
        if (token.types().size() <= i) return Object.class;
        String n = token.types().get(i);
        try {
            return switch (n) {
                case "java.lang.Object" -> Object.class;
                case "java.lang.String" -> String.class;
                case "java.lang.Integer" -> Integer.class;
                case "java.lang.Long" -> Long.class;
                default -> Class.forName(n, false, Wire.loader());
            };
        } catch (ClassNotFoundException e) {
            throw new io.mp4j.ipc.codec.CodecException("a proxy of " + token + " decodes its values as " + n + ", which is not on this process's class path");
        }
    }

    /** Proxies are equal when they refer to the same object of the same manager. */
    @Override
    public boolean equals(Object o) {
        return o instanceof BaseProxy p && p.token.id() == token.id() && p.token.address().equals(token.address());
    }

    @Override
    public int hashCode() { return Long.hashCode(token.id()) * 31 + token.address().hashCode(); }

    @Override
    public String toString() { return "<" + getClass().getSimpleName() + " " + token + ">"; }
}
