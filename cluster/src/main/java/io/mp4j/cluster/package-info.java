/**
 * The library's API on an Apache Ignite 2.x cluster: {@link io.mp4j.cluster.ClusterContext} makes the same pools,
 * executors, processes, queues, locks and values as a local {@code io.mp4j.Context}, whose work runs on the
 * cluster's server nodes. See {@code docs/cluster.md}.
 */
package io.mp4j.cluster;
