package io.mp4j.core;

import io.mp4j.worker.ChildMain;
import io.mp4j.worker.JvmFlags;

import java.util.List;

/** SPAWN: a fresh JVM per process, started at {@code start()} with the parent's class path. */
public final class SpawnLauncher implements Launcher {
    private final List<String> jvmOptions;

    public SpawnLauncher(List<String> jvmOptions) { this.jvmOptions = jvmOptions; }

    public static ProcessBuilder builder(List<String> jvmOptions, String... args) {
        ProcessBuilder pb = new ProcessBuilder(JvmFlags.command(ChildMain.class.getName(), jvmOptions, args));
        pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        return pb;
    }

    @Override
    public ChildHandle launch(byte[] frame, String processName) throws Exception {
        JvmChild child = new JvmChild(builder(jvmOptions).start());
        child.send(frame);
        return child;
    }
}
