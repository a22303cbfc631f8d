package io.mp4j.cluster;

import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteIllegalStateException;
import org.apache.ignite.Ignition;

import java.util.List;
import java.util.UUID;

/** Finds the Ignite node of this JVM, where a cluster object re-attaches after travelling (a node, or the client). */
final class Grids {
    private Grids() {}

    /**
     * The node running the caller: the one whose job this thread runs, else the only node of this JVM.
     *
     * @throws IllegalStateException when this JVM runs no node (a cluster object was passed to a local process)
     */
    static Ignite current() {
        try {
            return Ignition.localIgnite();
        } catch (IgniteIllegalStateException e) {
            // not a thread of a node: look for the JVM's nodes
        }
        List<Ignite> all = Ignition.allGrids();
        if (all.isEmpty()) {
            throw new IllegalStateException("no cluster node runs in this JVM: an object of a ClusterContext can only be used"
                    + " by the program that made it and by processes and pools of its cluster");
        }
        return all.getFirst();
    }

    /** A name for a new structure of {@code kind}: unique in the cluster. */
    static String newName(String kind) { return "mp4j-" + kind + "-" + UUID.randomUUID(); }

    /** The exception for a structure that is gone (its context closed, or its data lost with a node and no backup). */
    static IllegalStateException gone(String kind, String name) {
        return new IllegalStateException("the cluster " + kind + " " + name + " no longer exists: the ClusterContext that made it"
                + " was closed, or it was lost with a node (backups=0)");
    }
}
