/**
 * multiprocessing4j on an Apache Ignite 2 cluster: {@code io.mp4j.cluster}'s context, processes, pool and shared
 * objects. Ignite 2 has no module descriptor: on the module path it is an automatic module named from its jar.
 */
module io.mp4j.cluster {
    requires transitive io.mp4j;
    requires io.mp4j.worker;
    requires transitive ignite.core; // ClusterContext.ignite() hands out the node
    requires cache.api;
    requires java.logging;
    requires com.fasterxml.jackson.annotation;

    exports io.mp4j.cluster;

    // Ignite's marshaller re-creates the jobs it runs by reflection
    opens io.mp4j.cluster to ignite.core;
}
