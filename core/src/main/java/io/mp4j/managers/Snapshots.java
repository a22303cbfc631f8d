package io.mp4j.managers;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/** Iterators over a snapshot of a shared collection, whose {@code remove} writes through. */
final class Snapshots {
    private Snapshots() {}

    /** Iterates {@code items}; {@code remove()} hands the last element to {@code remover}. */
    static <T> Iterator<T> iterator(List<T> items, Consumer<T> remover) {
        return new Iterator<>() {
            private int next;
            private boolean removable;

            @Override public boolean hasNext() { return next < items.size(); }

            @Override
            public T next() {
                if (next >= items.size()) throw new NoSuchElementException("no more elements: size=" + items.size());
                removable = true;
                return items.get(next++);
            }

            @Override
            public void remove() {
                if (!removable) throw new IllegalStateException("remove() before next(), or twice");
                removable = false;
                remover.accept(items.get(next - 1));
            }
        };
    }
}
