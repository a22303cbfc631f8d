/**
 * What runs inside a child JVM: its bootstrap, the parent watch, a pool's worker loop, the fork server, the resource
 * tracker. None of it is API: it is exported to the library's core and its cluster back end only. Child JVMs run on
 * the class path.
 */
module io.mp4j.worker {
    requires transitive io.mp4j.ipc;
    requires org.slf4j;
    requires jdk.unsupported; // sun.reflect.ReflectionFactory: a subclass of MpProcess re-created without its constructor

    exports io.mp4j.worker to io.mp4j, io.mp4j.cluster;
    exports io.mp4j.worker.forkserver to io.mp4j;
    exports io.mp4j.worker.pool to io.mp4j, io.mp4j.cluster;
    exports io.mp4j.worker.task to io.mp4j, io.mp4j.cluster;
    exports io.mp4j.worker.warmup to io.mp4j;
}
