package io.mp4j.managers;

import io.mp4j.managers.DataServants.Lst;
import io.mp4j.ipc.wire.WireBuffer;

import java.io.IOException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.RandomAccess;

/**
 * A {@link List} that lives in a manager (Python's {@code manager.list()}, a {@code ListProxy}).
 * <pre>{@code
 * List<Integer> l = manager.list(Integer.class);
 * pool.map(Tasks::appendSquare, List.of(1, 2, 3)); // each task: l.add(x * x)
 * }</pre>
 *
 * <p>Every method of {@code List} itself is one request and atomic in the server, the bulk ones included
 * ({@code addAll}, {@code removeAll}, {@code retainAll}, {@code clear}). {@link #iterator()} runs over a
 * snapshot (one request) and its {@code remove} writes through; {@link #listIterator()} and {@link #subList} are
 * backed by the shared list element by element (a request per step). {@link #sort} sorts a snapshot here and
 * writes it back in one request: a change made by another process in between is overwritten.
 *
 * <p>Elements are stored encoded (see {@link BaseProxy}): an element fetched is a copy. {@code contains},
 * {@code indexOf} and {@code remove(Object)} compare encoded forms (see {@link DictProxy} for what that means).
 *
 * @param <E> the type of the elements
 */
public final class ListProxy<E> extends BaseProxy implements List<E>, RandomAccess {
    private final Class<?> elementType;
    private final View view = new View();

    ListProxy(Token token) {
        super(token);
        elementType = type(0);
    }

    private <R> R call(int method, ManagerClient.Args args, ManagerClient.Answer<R> answer) {
        return client().call(id(), method, args, answer);
    }

    @SuppressWarnings("unchecked")
    private E element(WireBuffer in) throws IOException { return (E) Wire.readBlob(in, elementType); }

    private static void writeAll(WireBuffer out, Collection<?> c) throws IOException {
        List<?> items = new ArrayList<>(c);
        out.writeInt(items.size());
        for (Object o : items) Wire.writeBlob(out, o);
    }

    @Override public int size() { return call(Lst.SIZE, ManagerClient.Args.NONE, WireBuffer::readInt); }

    @Override public boolean isEmpty() { return size() == 0; }

    @Override public boolean contains(Object o) { return indexOf(o) >= 0; }

    @Override public E get(int index) { return call(Lst.GET, out -> out.writeInt(index), this::element); }

    @Override
    public E set(int index, E element) {
        return call(Lst.SET, out -> {
            out.writeInt(index);
            Wire.writeBlob(out, element);
        }, this::element);
    }

    /** Appends (Python's {@code append}); always true. */
    @Override
    public boolean add(E e) {
        call(Lst.ADD, out -> Wire.writeBlob(out, e), ManagerClient.Answer.NONE);
        return true;
    }

    /** Python's {@code insert}. */
    @Override
    public void add(int index, E element) {
        call(Lst.ADD_AT, out -> {
            out.writeInt(index);
            Wire.writeBlob(out, element);
        }, ManagerClient.Answer.NONE);
    }

    /** Python's {@code pop(index)}. */
    @Override public E remove(int index) { return call(Lst.REMOVE_AT, out -> out.writeInt(index), this::element); }

    @Override public boolean remove(Object o) { return call(Lst.REMOVE, out -> Wire.writeBlob(out, o), WireBuffer::readBoolean); }

    @Override public int indexOf(Object o) { return call(Lst.INDEX_OF, out -> Wire.writeBlob(out, o), WireBuffer::readInt); }

    @Override public int lastIndexOf(Object o) { return call(Lst.LAST_INDEX_OF, out -> Wire.writeBlob(out, o), WireBuffer::readInt); }

    @Override public void clear() { call(Lst.CLEAR, ManagerClient.Args.NONE, ManagerClient.Answer.NONE); }

    /** Python's {@code extend}: in one request. */
    @Override public boolean addAll(Collection<? extends E> c) { return addAll(-1, c); }

    @Override
    public boolean addAll(int index, Collection<? extends E> c) {
        return call(Lst.ADD_ALL, out -> {
            out.writeInt(index);
            writeAll(out, c);
        }, WireBuffer::readBoolean);
    }

    @Override public boolean removeAll(Collection<?> c) { return call(Lst.REMOVE_ALL, out -> writeAll(out, c), WireBuffer::readBoolean); }

    @Override public boolean retainAll(Collection<?> c) { return call(Lst.RETAIN_ALL, out -> writeAll(out, c), WireBuffer::readBoolean); }

    @Override public boolean containsAll(Collection<?> c) { return copy().containsAll(c); }

    /**
     * A copy of the whole list in one request.
     *
     * @return a copy of the elements
     */
    public ArrayList<E> copy() {
        return call(Lst.ALL, ManagerClient.Args.NONE, in -> {
            int n = in.readInt();
            ArrayList<E> l = new ArrayList<>(n);
            for (int i = 0; i < n; i++) l.add(element(in));
            return l;
        });
    }

    /** Replaces the whole content in one request. */
    private void setAll(List<E> items) { call(Lst.SET_ALL, out -> writeAll(out, items), ManagerClient.Answer.NONE); }

    @Override public Object[] toArray() { return copy().toArray(); }

    @Override public <T> T[] toArray(T[] a) { return copy().toArray(a); }

    /** Iterates a snapshot taken now (one request); {@code remove} removes that element from the shared list. */
    @Override
    public Iterator<E> iterator() {
        List<E> items = copy();
        int[] removed = {0};
        List<Integer> indexes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) indexes.add(i);
        Iterator<Integer> it = Snapshots.iterator(indexes, i -> remove(i - removed[0]++));
        return new Iterator<>() {
            @Override public boolean hasNext() { return it.hasNext(); }

            @Override public E next() { return items.get(it.next()); }

            @Override public void remove() { it.remove(); }
        };
    }

    @Override public ListIterator<E> listIterator() { return view.listIterator(); }

    @Override public ListIterator<E> listIterator(int index) { return view.listIterator(index); }

    @Override public List<E> subList(int fromIndex, int toIndex) { return view.subList(fromIndex, toIndex); }

    /** Sorts a snapshot with {@code c} (null: natural order) and writes it back in one request. */
    @Override
    public void sort(Comparator<? super E> c) {
        List<E> items = copy();
        items.sort(c);
        setAll(items);
    }

    /** Equal to a list with the same elements in the same order (compared on a copy). */
    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof List<?> l)) return false;
        return copy().equals(l instanceof ListProxy<?> p ? p.copy() : l);
    }

    @Override public int hashCode() { return copy().hashCode(); }

    /** The elements, as {@code ArrayList} prints them ({@code [1, 2]}). */
    @Override public String toString() { return copy().toString(); }

    /** The shared list element by element, for list iterators and sublists. */
    private final class View extends AbstractList<E> implements RandomAccess {
        @Override public E get(int index) { return ListProxy.this.get(index); }

        @Override public E set(int index, E element) { return ListProxy.this.set(index, element); }

        @Override public void add(int index, E element) { ListProxy.this.add(index, element); }

        @Override public E remove(int index) { return ListProxy.this.remove(index); }

        @Override public int size() { return ListProxy.this.size(); }

        @Override
        protected void removeRange(int fromIndex, int toIndex) {
            call(Lst.REMOVE_RANGE, out -> {
                out.writeInt(fromIndex);
                out.writeInt(toIndex);
            }, ManagerClient.Answer.NONE);
        }
    }
}
