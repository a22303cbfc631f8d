package io.mp4j.managers;

import io.mp4j.Context;
import io.mp4j.Multiprocessing;
import io.mp4j.RemoteTraceback;
import io.mp4j.StartMethod;
import io.mp4j.ipc.codec.Codec;
import io.mp4j.ipc.codec.CodecException;
import io.mp4j.testkit.Await;
import io.mp4j.ipc.queue.QueueEmptyException;
import io.mp4j.ipc.queue.QueueFullException;
import io.mp4j.managers.ManagerTargets.Counter;
import io.mp4j.managers.ManagerTargets.Point;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.reflect.UndeclaredThrowableException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What each proxy does, its contract and its failures, against one manager served by a thread of this JVM (the
 * THREAD start method: every call still goes through the server's socket, as from any process).
 */
class ManagerObjectsTest {
    private static final Context CTX = Multiprocessing.getContext(StartMethod.THREAD);
    private static SyncManager m;

    @BeforeAll
    static void start() {
        m = CTX.managerBuilder().register("Counter", Counter.class, ManagerTargets.CounterImpl::new)
                .register("Adder", Counter.class, ManagerTargets.CounterImpl::new, "add").start();
    }

    @AfterAll
    static void stop() { m.shutdown(); }

    // ------------------------------------------------------------------ dict and list

    @Test
    void aDictProxyKeepsTheMapContractAndInsertionOrder() {
        DictProxy<String, Integer> d = m.dict(String.class, Integer.class);
        assertThat(d.put("b", 2)).isNull();
        assertThat(d.put("a", 1)).isNull();
        assertThat(d.put("b", 3)).isEqualTo(2);
        d.put("n", null);
        assertThat(d).hasSize(3).containsKeys("a", "b", "n").containsEntry("n", null);
        assertThat(d.getOrDefault("n", 9)).isNull();
        assertThat(d.getOrDefault("x", 9)).isEqualTo(9);
        assertThat(d.putIfAbsent("a", 5)).isEqualTo(1);
        assertThat(d.putIfAbsent("n", 5)).isNull();
        assertThat(d.get("n")).isEqualTo(5);
        assertThat(d.replace("x", 1)).isNull();
        assertThat(d.containsKey("x")).isFalse();
        assertThat(d.replace("a", 1, 10)).isTrue();
        assertThat(d.replace("a", 1, 11)).isFalse();
        assertThat(d.remove("a", 1)).isFalse();
        assertThat(d.containsValue(10)).isTrue();
        assertThat(d.keySet()).containsExactly("b", "a", "n");
        assertThat(d.values()).containsExactly(3, 10, 5);
        assertThat(d.toString()).isEqualTo("{b=3, a=10, n=5}");
        Map<String, Integer> plain = new LinkedHashMap<>(Map.of("b", 3, "a", 10, "n", 5));
        assertThat(d.equals(plain)).isTrue();
        assertThat(plain.equals(d)).isTrue();
        assertThat(d.hashCode()).isEqualTo(plain.hashCode());
        for (Iterator<Map.Entry<String, Integer>> it = d.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Integer> e = it.next();
            if (e.getKey().equals("b")) it.remove();
            else e.setValue(e.getValue() + 1);
        }
        assertThat(d.copy()).containsExactly(Map.entry("a", 11), Map.entry("n", 6));
        d.keySet().remove("a");
        d.putAll(Map.of("z", 26));
        assertThat(d).containsOnlyKeys("n", "z");
        d.clear();
        assertThat(d.isEmpty()).isTrue();
        assertThat(m.dict(Map.of(1, "one"))).containsExactly(Map.entry(1, "one"));
    }

    @Test
    void keysAreEqualWhenTheirEncodingsAreAsJavaSaysForNumbersOfOneClass() {
        Codec.register(Point.class); // a record where Object is declared travels once registered
        DictProxy<Object, String> d = m.dict();
        d.put(1, "int");
        d.put(1L, "long");
        d.put(new Point(1, 2), "record");
        d.put(List.of(1, 2), "list");
        assertThat(d).hasSize(4);
        assertThat(d.get(1)).isEqualTo("int");
        assertThat(d.get(1L)).isEqualTo("long");
        assertThat(d.get(new Point(1, 2))).isEqualTo("record");
        assertThat(d.get(List.of(1, 2))).isEqualTo("list");
        assertThat(d.get(new Point(2, 1))).isNull();
        assertThatThrownBy(() -> d.put(new Unregistered(1), "x")).isInstanceOf(CodecException.class).hasMessageContaining("Unregistered");
        assertThat(d).hasSize(4);
    }

    record Unregistered(int x) {}

    @Test
    void aListProxyKeepsTheListContract() {
        ListProxy<String> l = m.list(String.class);
        l.add("c");
        l.addAll(List.of("a", "b"));
        l.add(0, "z");
        assertThat(l).containsExactly("z", "c", "a", "b");
        assertThat(l.get(1)).isEqualTo("c");
        assertThat(l.set(1, "C")).isEqualTo("c");
        assertThat(l.indexOf("a")).isEqualTo(2);
        assertThat(l.lastIndexOf("nope")).isEqualTo(-1);
        assertThat(l.contains("b")).isTrue();
        assertThat(l.remove(0)).isEqualTo("z");
        assertThat(l.remove("nope")).isFalse();
        l.sort(null);
        assertThat(l).containsExactly("C", "a", "b");
        l.subList(0, 2).clear();
        assertThat(l).containsExactly("b");
        l.addAll(0, List.of("x", "y", "x"));
        assertThat(l.removeAll(List.of("x"))).isTrue();
        assertThat(l).containsExactly("y", "b");
        for (Iterator<String> it = l.iterator(); it.hasNext(); ) if (it.next().equals("y")) it.remove();
        assertThat(l).containsExactly("b");
        assertThat(l.equals(List.of("b"))).isTrue();
        assertThat(l.hashCode()).isEqualTo(List.of("b").hashCode());
        assertThat(l.toString()).isEqualTo("[b]");
        assertThat(l.retainAll(List.of())).isTrue();
        assertThat(l.isEmpty()).isTrue();
    }

    @Test
    void anIndexOutOfRangeInTheServerIsThrownHereWithTheServersTraceAsItsCause() {
        ListProxy<Integer> l = m.list(List.of(1, 2, 3));
        assertThatThrownBy(() -> l.get(7)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("7").hasCauseInstanceOf(RemoteTraceback.class);
        assertThatThrownBy(() -> l.add(9, 1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(l).containsExactly(1, 2, 3);
    }

    @Test
    void aProxyStoredInAProxyIsSharedAndAPlainValueIsACopy() {
        DictProxy<String, Object> d = m.dict();
        ListProxy<Integer> shared = m.list(Integer.class);
        d.put("shared", shared);
        d.put("plain", new ArrayList<>(List.of(1)));
        @SuppressWarnings("unchecked") List<Integer> viaDict = (List<Integer>) d.get("shared");
        viaDict.add(7);
        assertThat(viaDict).isInstanceOf(ListProxy.class).isEqualTo(shared);
        assertThat(shared).containsExactly(7);
        @SuppressWarnings("unchecked") List<Integer> copy = (List<Integer>) d.get("plain");
        copy.add(2);
        assertThat(d.get("plain")).isEqualTo(List.of(1));
    }

    @Test
    void everyProxyTravelsOnItsOwnAsItsTokenAndArrivesAsAProxyOfTheSameObjectWithItsTypesAndKey() throws Exception {
        List<BaseProxy> all = List.of(m.dict(String.class, Integer.class), m.list(Integer.class), m.namespace(), m.queue(String.class),
                m.joinableQueue(), m.lock(), m.rlock(), m.semaphore(), m.boundedSemaphore(), m.condition(), m.event(), m.barrier(2),
                m.value('i', 0), m.array('d', 2), m.create("Counter", Counter.class));
        for (BaseProxy p : all) {
            // as a child's argument or a message: on its own, not inside another value
            Object back = Codec.decode(Codec.encode(p, p.getClass()), p.getClass());
            assertThat(back).as(p.toString()).isInstanceOf(p.getClass()).isEqualTo(p).isNotSameAs(p);
            assertThat(((BaseProxy) back).token).isEqualTo(p.token);
        }
        @SuppressWarnings("unchecked")
        DictProxy<String, Integer> d = (DictProxy<String, Integer>) Codec.decode(Codec.encode(all.get(0), Map.class), Map.class);
        d.put("seven", 7);
        assertThat(((DictProxy<?, ?>) all.get(0)).get("seven")).isEqualTo(7);
        // a key that is not this process's travels with the proxy
        BaseProxy keyed = new EventProxy(new Token("Event", all.get(10).managerAddress(), all.get(10).id(), List.of(), "0a0b"));
        assertThat(((BaseProxy) Codec.decode(Codec.encode(keyed, Object.class), Object.class)).token.authkey()).isEqualTo("0a0b");
    }

    // ------------------------------------------------------------------ Namespace, Value, Array

    @Test
    void aNamespaceHasPythonsAttributesWithJavaNames() {
        Namespace ns = m.namespace(Map.of("x", 1));
        ns.set("y", "abc");
        assertThat(ns.get("x")).isEqualTo(1);
        assertThat(ns.get("y", String.class)).isEqualTo("abc");
        assertThat(ns.has("z")).isFalse();
        assertThat(ns.toString()).isEqualTo("Namespace(x=1, y=abc)");
        ns.delete("x");
        assertThatThrownBy(() -> ns.get("x")).isInstanceOf(NoSuchElementException.class).hasMessageContaining("'x'");
        assertThatThrownBy(() -> ns.delete("x")).isInstanceOf(NoSuchElementException.class);
        assertThatThrownBy(() -> ns.set("", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ns.toMap()).containsExactly(Map.entry("y", "abc"));
    }

    @Test
    void aValueAndAnArrayHoldWhatTheirTypeCodeSaysAndRefuseTheRestInTheCaller() {
        ValueProxy v = m.value('i', 5);
        v.set(7L);
        assertThat(v.get()).isEqualTo(7);
        assertThat(v.toString()).isEqualTo("Value('i', 7)");
        assertThatThrownBy(() -> v.set(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'i'").hasMessageContaining("1.5");
        assertThatThrownBy(() -> v.set(1L << 40)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
        assertThat(v.getInt()).isEqualTo(7);
        ValueProxy d = m.value('d', 1);
        assertThat(d.get()).isEqualTo(1.0);
        ValueProxy b = m.value('?', true);
        assertThat(b.getBoolean()).isTrue();
        assertThatThrownBy(() -> m.value('x', 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'x'");
        assertThatThrownBy(() -> m.value('B', 300)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300");

        ArrayProxy a = m.array('h', 3);
        assertThat(a.length()).isEqualTo(3);
        a.set(2, 9);
        assertThat(a.toList()).containsExactly((short) 0, (short) 0, (short) 9);
        assertThat(a.toString()).isEqualTo("array('h', [0, 0, 9])");
        assertThatThrownBy(() -> a.get(3)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> a.set(0, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(m.array('d', List.of(1, 2.5)).toList()).containsExactly(1.0, 2.5);
        assertThatThrownBy(() -> m.array('i', -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> m.array('i', "abc")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("String");
    }

    // ------------------------------------------------------------------ queues

    @Test
    void aQueueProxyIsABlockingQueueWithPythonsNamesBeside() throws Exception {
        QueueProxy<String> q = m.queue(String.class, 2);
        assertThat(q.offer("a")).isTrue();
        q.putNowait("b");
        assertThat(q.isFull()).isTrue();
        assertThat(q.offer("c")).isFalse();
        assertThatThrownBy(() -> q.putNowait("c")).isInstanceOf(QueueFullException.class);
        assertThat(q.offer("c", 20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(q.remainingCapacity()).isZero();
        assertThat(q.peek()).isEqualTo("a");
        assertThat(q.toString()).isEqualTo("[a, b]");
        assertThat(q.take()).isEqualTo("a");
        assertThat(q.qsize()).isEqualTo(1);
        List<String> drained = new ArrayList<>();
        assertThat(q.drainTo(drained)).isEqualTo(1);
        assertThat(drained).containsExactly("b");
        assertThat(q.poll()).isNull();
        assertThat(q.poll(20, TimeUnit.MILLISECONDS)).isNull();
        assertThatThrownBy(q::getNowait).isInstanceOf(QueueEmptyException.class);
        assertThatThrownBy(() -> q.get(true, Duration.ofMillis(20))).isInstanceOf(QueueEmptyException.class);
        assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> m.queue(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");

        JoinableQueueProxy<Integer> jq = m.joinableQueue(Integer.class);
        jq.put(1);
        assertThat(jq.join(Duration.ofMillis(20))).isFalse();
        assertThat(jq.take()).isEqualTo(1);
        jq.taskDone();
        jq.join();
        assertThatThrownBy(jq::taskDone).isInstanceOf(IllegalStateException.class).hasMessageContaining("taskDone");
    }

    @Test
    void anInterruptedTakeThrowsAndTakesNothing() throws Exception {
        QueueProxy<String> q = m.queue(String.class);
        CompletableFuture<Thread> taker = new CompletableFuture<>();
        CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
            taker.complete(Thread.currentThread());
            try {
                return q.take();
            } catch (InterruptedException e) {
                return e;
            }
        });
        Thread t = taker.get(10, TimeUnit.SECONDS);
        awaitWaiting(t);
        t.interrupt();
        assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        q.put("kept");
        assertThat(q.poll(10, TimeUnit.SECONDS)).isEqualTo("kept");
        assertThat(q.isEmpty()).isTrue();
    }

    @Test
    void aConnectionsCallsMoveToASharedMemoryChannelThatLeavesNoFileAndStillCarriesFramesLargerThanIt() throws Exception {
        DictProxy<String, String> d = m.dict(String.class, String.class);
        for (int i = 0; i < ManagerClient.CALLS_BEFORE_SHARED; i++) d.put("k" + i, "v" + i);
        String big = "x".repeat(ShmChannel.CAPACITY + 1000);
        d.put("big", big);                                   // a request larger than the channel: on the socket
        assertThat(d.get("big")).isEqualTo(big);             // a reply larger than it: on the socket too
        assertThat(d.get("k3")).isEqualTo("v3");             // and the calls after them go on as before
        ManagerClient client = ManagerClient.of(Addresses.format(m.address()), CTX.authkey());
        assertThat(client.sharedChannels()).isPositive();
        Path dir = ((UnixDomainSocketAddress) m.address()).getPath().getParent();
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.startsWith("manager-channel"));
        }
    }

    @Test
    void anInterruptedTakeOnASharedMemoryChannelThrowsAndTakesNothing() throws Exception {
        QueueProxy<String> q = m.queue(String.class);
        CompletableFuture<Thread> taker = new CompletableFuture<>();
        CompletableFuture<Object> result = CompletableFuture.supplyAsync(() -> {
            for (int i = 0; i < ManagerClient.CALLS_BEFORE_SHARED; i++) q.size(); // this thread's connection moves to the channel
            taker.complete(Thread.currentThread());
            try {
                return q.take();
            } catch (InterruptedException e) {
                return e;
            }
        });
        Thread t = taker.get(10, TimeUnit.SECONDS);
        Await.until("a thread waiting for the manager's answer on the channel", () -> List.of(t.getStackTrace()),
                stack -> stack.stream().anyMatch(f -> f.getClassName().endsWith("ShmChannel") && f.getMethodName().equals("reply")));
        t.interrupt();
        assertThat(result.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        q.put("kept");
        assertThat(q.poll(10, TimeUnit.SECONDS)).isEqualTo("kept");
        assertThat(q.isEmpty()).isTrue();
    }

    /**
     * Until {@code t} has sent its request and waits for the answer (its stack is in the client's receive: a native
     * receive shows as RUNNABLE, so the state cannot tell).
     */
    static void awaitWaiting(Thread t) {
        Await.until("a thread waiting for the manager's answer", () -> List.of(t.getStackTrace()),
                stack -> stack.stream().anyMatch(f -> f.getClassName().endsWith("ManagerClient$Channel") && f.getMethodName().equals("receive")
                        || f.getClassName().endsWith("ShmChannel") && f.getMethodName().equals("reply")));
    }

    // ------------------------------------------------------------------ locks

    @Test
    void aLockIsReleasedByAnyThreadAndAnRLockOnlyByItsOwner() throws Exception {
        LockProxy lock = m.lock();
        lock.lock();
        assertThat(lock.tryLock()).isFalse();
        assertThat(CompletableFuture.supplyAsync(() -> { lock.unlock(); return true; }).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(lock.isLocked()).isFalse();
        assertThatThrownBy(lock::unlock).isInstanceOf(IllegalMonitorStateException.class);
        try (var held = lock.hold()) {
            assertThat(lock.isLocked()).isTrue();
        }
        assertThatThrownBy(lock::newCondition).isInstanceOf(UnsupportedOperationException.class);

        RLockProxy r = m.rlock();
        r.lock();
        r.lock();
        assertThat(r.getHoldCount()).isEqualTo(2);
        assertThat(CompletableFuture.supplyAsync(() -> {
            assertThat(r.tryLock()).isFalse();
            assertThat(r.isHeldByCurrentThread()).isFalse();
            try {
                r.unlock();
                return "released";
            } catch (IllegalMonitorStateException e) {
                return "refused";
            }
        }).get(10, TimeUnit.SECONDS)).isEqualTo("refused");
        r.unlock();
        r.unlock();
        assertThat(r.isLocked()).isFalse();
    }

    @Test
    void anInterruptedLockInterruptiblyThrowsWithoutTakingTheLock() throws Exception {
        LockProxy lock = m.lock();
        lock.lock();
        CompletableFuture<Thread> waiter = new CompletableFuture<>();
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            waiter.complete(Thread.currentThread());
            try {
                lock.lockInterruptibly();
                return "locked";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        Thread t = waiter.get(10, TimeUnit.SECONDS);
        awaitWaiting(t);
        t.interrupt();
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted");
        lock.unlock();
        assertThat(lock.tryLock(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void semaphoresCountAndABoundedOneRefusesToGoAboveItsBound() throws Exception {
        SemaphoreProxy s = m.semaphore(2);
        s.acquire();
        assertThat(s.tryAcquire()).isTrue();
        assertThat(s.tryAcquire(20, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(s.acquire(false, null)).isFalse();
        s.release();
        s.release();
        s.release();
        assertThat(s.getValue()).isEqualTo(3);
        BoundedSemaphoreProxy b = m.boundedSemaphore(1);
        assertThatThrownBy(b::release).isInstanceOf(IllegalStateException.class).hasMessageContaining("bound=1");
        assertThatThrownBy(() -> m.semaphore(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aConditionWaitsForASignalAndAnInterruptedWaitReturnsHoldingTheLock() throws Exception {
        ConditionProxy c = m.condition();
        assertThatThrownBy(c::await).isInstanceOf(IllegalMonitorStateException.class);
        assertThatThrownBy(c::signal).isInstanceOf(IllegalMonitorStateException.class);
        c.acquire();
        assertThat(c.await(20, TimeUnit.MILLISECONDS)).isFalse();
        CompletableFuture.runAsync(() -> {
            c.acquire();
            c.signalAll();
            c.release();
        });
        assertThat(c.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(c.isOwned()).isTrue();
        c.release();

        CompletableFuture<Thread> waiter = new CompletableFuture<>();
        CompletableFuture<String> result = CompletableFuture.supplyAsync(() -> {
            c.acquire();
            waiter.complete(Thread.currentThread());
            try {
                c.await();
                return "signalled";
            } catch (InterruptedException e) {
                return "interrupted, holding " + ((RLockProxy) c.getLock()).getHoldCount();
            } finally {
                c.release();
            }
        });
        Thread t = waiter.get(10, TimeUnit.SECONDS);
        awaitWaiting(t);
        t.interrupt();
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("interrupted, holding 1");
        assertThat(c.getLock().isLocked()).isFalse();

        LockProxy plain = m.lock();
        ConditionProxy overLock = m.condition(plain);
        assertThat(overLock.getLock()).isEqualTo(plain);
        try (SyncManager other = CTX.manager()) {
            assertThatThrownBy(() -> m.condition(other.lock())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same manager");
        }
    }

    @Test
    void anEventWakesItsWaiters() throws Exception {
        EventProxy e = m.event();
        assertThat(e.await(20, TimeUnit.MILLISECONDS)).isFalse();
        CompletableFuture.runAsync(e::set);
        assertThat(e.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(e.isSet()).isTrue();
        e.clear();
        assertThat(e.isSet()).isFalse();
    }

    @Test
    void aBarrierReleasesItsPartiesAndBreaksOnATimeout() throws Exception {
        BarrierProxy b = m.barrier(2);
        CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> {
            try {
                return b.await();
            } catch (Exception e) {
                return -1;
            }
        });
        int mine = b.await(10, TimeUnit.SECONDS);
        assertThat(List.of(mine, other.get(10, TimeUnit.SECONDS))).containsExactlyInAnyOrder(0, 1);
        assertThat(b.getParties()).isEqualTo(2);
        assertThatThrownBy(() -> b.await(20, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(b.isBroken()).isTrue();
        assertThatThrownBy(b::await).isInstanceOf(BrokenBarrierException.class);
        b.reset();
        assertThat(b.isBroken()).isFalse();
        assertThat(b.getNumberWaiting()).isZero();
        BarrierProxy timed = m.barrier(2, Duration.ofMillis(20));
        assertThatThrownBy(timed::await).isInstanceOf(BrokenBarrierException.class).hasMessageContaining("timed out");
        assertThatThrownBy(() -> m.barrier(0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ registered types

    @Test
    void aRegisteredTypeIsCalledThroughItsInterfaceWithRecordsAndItsOwnExceptions() throws Exception {
        AutoProxy<Counter> p = m.create("Counter", Counter.class);
        Counter c = p.get();
        assertThat(c.add(2)).isEqualTo(2);
        assertThat(c.where(new Point(1, 2))).isEqualTo(new Point(2, 3));
        assertThat(c.toString()).isEqualTo("Counter(2)");
        assertThat(p.callMethod("add", 3)).isEqualTo(5);
        assertThatThrownBy(() -> c.subtract(-1)).isInstanceOf(IllegalArgumentException.class).hasMessage("negative amount: by=-1");
        assertThat(c).isEqualTo(p.get());
        assertThat(m.create("Counter", Counter.class)).isNotEqualTo(p); // a factory that makes a new object each time
        Counter adder = m.create("Adder", Counter.class).get();
        assertThat(adder.add(1)).isEqualTo(1);
        assertThatThrownBy(adder::value).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("not exposed");
        assertThatThrownBy(() -> m.create("Nope", Counter.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Nope'");
        assertThatThrownBy(() -> m.create("Counter", Runnable.class)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("served as");
        assertThatThrownBy(() -> p.callMethod("nope")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registrationRefusesWhatCannotBeServed() {
        SyncManager.Builder b = CTX.managerBuilder();
        assertThatThrownBy(() -> b.register("dict", Counter.class, ManagerTargets.CounterImpl::new)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built-in");
        assertThatThrownBy(() -> b.register("", Counter.class, ManagerTargets.CounterImpl::new)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.register("Impl", ManagerTargets.CounterImpl.class, ManagerTargets.CounterImpl::new))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("interface");
        assertThatThrownBy(() -> b.register("C", Counter.class, ManagerTargets.CounterImpl::new, "nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'nope'");
        b.register("C", Counter.class, ManagerTargets.CounterImpl::new);
        assertThatThrownBy(() -> b.register("C", Counter.class, ManagerTargets.CounterImpl::new)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already");
    }

    // ------------------------------------------------------------------ life-cycle misuse

    @Test
    void misuseOfTheLifeCycleIsRefusedClearly() throws Exception {
        SyncManager fresh = CTX.managerBuilder().build();
        assertThatThrownBy(fresh::dict).isInstanceOf(IllegalStateException.class).hasMessageContaining("not started");
        assertThatThrownBy(fresh::connect).isInstanceOf(IllegalStateException.class).hasMessageContaining("address");
        assertThatThrownBy(m::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("started");
        Path taken = Files.createTempFile(CTX.resourceDir(), "taken", ".sock");
        assertThatThrownBy(() -> CTX.managerBuilder().address(UnixDomainSocketAddress.of(taken)).start())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot start the manager").hasMessageContaining(taken.toString());
        Files.delete(taken);
        assertThatThrownBy(() -> CTX.managerBuilder().address(new java.net.InetSocketAddress("::1", 0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CTX.managerBuilder().authkey(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callsFromManyThreadsAtOnceEachGetTheirOwnAnswer() throws Exception {
        DictProxy<Integer, Integer> d = m.dict(Integer.class, Integer.class);
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 1000;
            all.add(CompletableFuture.supplyAsync(() -> {
                for (int i = 0; i < 200; i++) {
                    d.put(base + i, i);
                    if (d.get(base + i) != i) return false;
                }
                return true;
            }));
        }
        for (var f : all) assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
        assertThat(d).hasSize(1600);
    }
}
