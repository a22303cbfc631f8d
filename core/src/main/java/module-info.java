/**
 * multiprocessing4j: Python's {@code multiprocessing} on the JVM. The API is {@code io.mp4j} (contexts, processes,
 * pools, the executor), {@code io.mp4j.function} (targets), {@code io.mp4j.managers} (managers and their proxies)
 * and {@code io.mp4j.spi} (the pool's back-end interfaces),
 * with the shared objects of {@code io.mp4j.ipc}'s API packages. The library also runs on the class path, which is
 * how most applications use it; on the module path only these packages are exported.
 */
module io.mp4j {
    requires transitive io.mp4j.ipc;
    requires io.mp4j.worker;
    requires org.apache.commons.exec;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;      // a manager's proxies travel through the codec with their own
    requires com.fasterxml.jackson.databind;  // serializers (io.mp4j.managers.BaseProxy)
    requires me.tongfei.progressbar;
    requires jdk.unsupported; // sun.misc.Signal: SIGTERM ends a process's children as Python's does (ProcessRegistry)

    exports io.mp4j;
    exports io.mp4j.function;
    exports io.mp4j.managers;
    exports io.mp4j.spi;

    // the library's own plumbing: a cluster back end (issue 24's module) implements the SPI with the same encoding
    exports io.mp4j.core to io.mp4j.cluster;
    exports io.mp4j.core.pool to io.mp4j.cluster;

    // the proxies' serializers are made by Jackson; the caches' training runs a manager (ManagerWarmUp)
    opens io.mp4j.managers to com.fasterxml.jackson.databind, io.mp4j.worker;
}
