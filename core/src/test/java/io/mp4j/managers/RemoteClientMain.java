package io.mp4j.managers;

import io.mp4j.Context;
import io.mp4j.MpProcess;
import io.mp4j.Multiprocessing;
import io.mp4j.StartMethod;
import io.mp4j.ipc.connection.AuthenticationException;
import io.mp4j.managers.ManagerTargets.Counter;

import java.net.InetSocketAddress;
import java.util.HexFormat;

/**
 * A second JVM using a manager another JVM serves (args: host, port, key in hex): a wrong key first, then the
 * right one; it adds to the shared counter and hands proxies to a child of its own, which connects with the
 * manager's key carried in them.
 */
public final class RemoteClientMain {
    private RemoteClientMain() {}

    public static void main(String[] args) throws Exception {
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        byte[] key = HexFormat.of().parseHex(args[2]);
        Context ctx = Multiprocessing.getContext(StartMethod.SPAWN);
        try {
            ctx.managerBuilder().address(address).authkey("wrong".getBytes()).connect();
            System.out.println("wrong key: accepted");
        } catch (AuthenticationException e) {
            System.out.println("wrong key: refused");
        }
        try (SyncManager m = ctx.managerBuilder().address(address).authkey(key).connect()) {
            AutoProxy<Counter> counter = m.create("Counter", Counter.class);
            System.out.println("counter " + counter.get().add(10));
            DictProxy<String, Integer> d = m.dict(String.class, Integer.class);
            MpProcess child = ctx.process(ManagerTargets::remoteChild, counter, d);
            child.start();
            child.join();
            System.out.println("child exit " + child.exitCode() + " put " + d.get("child"));
        }
    }
}
