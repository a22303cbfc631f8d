package io.mp4j.ipc.queue;

/**
 * What a queue travels as between processes: its directory (the control file and the item log), its
 * element type and its kind. The receiving process maps the control file; it opens the log only when it
 * first puts or gets.
 *
 * @param dir         the queue's directory inside its context's private directory
 * @param elementType the binary name of the declared element type
 * @param kind        Queue, SimpleQueue or JoinableQueue (see {@link QueueLayout})
 */
public record QueueHandle(String dir, String elementType, int kind) {
    Class<?> resolveElementType() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        try {
            return Class.forName(elementType, false, loader != null ? loader : QueueHandle.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("queue element type " + elementType + " is not on this process's class path", e);
        }
    }
}
