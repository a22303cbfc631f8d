/**
 * Everything that crosses a process boundary, with no notion of a process: the codec, shared memory and its values
 * and arrays, the synchronisation primitives, queues and connections. The library also runs on the class path
 * (how most applications use it); on the module path only the API packages are exported.
 */
module io.mp4j.ipc {
    requires com.fasterxml.jackson.annotation;
    requires com.fasterxml.jackson.core;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.smile;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires java.logging;
    requires chronicle.queue;
    requires chronicle.bytes;
    requires chronicle.wire;
    requires posix;
    requires org.slf4j;

    exports io.mp4j.ipc.codec;
    exports io.mp4j.ipc.connection;
    exports io.mp4j.ipc.queue;
    exports io.mp4j.shared;
    exports io.mp4j.ipc.shm;
    exports io.mp4j.ipc.sync;

    // the library's own plumbing, for its other modules only
    exports io.mp4j.ipc to io.mp4j.worker, io.mp4j;
    exports io.mp4j.ipc.ring to io.mp4j.worker, io.mp4j;
    exports io.mp4j.ipc.wire to io.mp4j.worker, io.mp4j;

    // Jackson modules an application adds are service-loaded by the codec
    uses com.fasterxml.jackson.databind.Module;

    // the codec's records travel through Jackson
    opens io.mp4j.ipc.codec to com.fasterxml.jackson.databind;
    opens io.mp4j.ipc.queue to com.fasterxml.jackson.databind;
    opens io.mp4j.ipc.shm to com.fasterxml.jackson.databind;
    opens io.mp4j.ipc.sync to com.fasterxml.jackson.databind;
    opens io.mp4j.ipc.connection to com.fasterxml.jackson.databind;
}
