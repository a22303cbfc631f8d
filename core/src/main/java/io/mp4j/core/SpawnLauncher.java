package io.mp4j.core;

import io.mp4j.worker.ChildMain;
import io.mp4j.worker.JvmFlags;
import io.mp4j.worker.JvmSpec;

/** SPAWN: a fresh JVM per process, started at {@code start()} with the spec of that start. */
public final class SpawnLauncher implements Launcher {
    /** A launcher of fresh JVMs; it keeps none ready. */
    public SpawnLauncher() {}

    /**
     * The process builder of a fresh child JVM running {@code ChildMain}, its output inherited and its input a pipe.
     *
     * @param spec the child JVM's options and class path
     * @param args the main class's arguments
     * @return the process builder, not started
     */
    public static ProcessBuilder builder(JvmSpec spec, String... args) {
        ProcessBuilder pb = new ProcessBuilder(JvmFlags.command(ChildMain.class.getName(), spec, args));
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        return pb;
    }

    @Override
    public ChildHandle launch(byte[] frame, String processName, JvmSpec spec) throws Exception {
        JvmChild child = new JvmChild(builder(spec).start());
        child.send(frame);
        return child;
    }
}
