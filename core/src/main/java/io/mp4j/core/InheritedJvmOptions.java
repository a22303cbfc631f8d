package io.mp4j.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The options of this JVM's command line that its child JVMs inherit: heap and collector settings ({@code -Xmx},
 * {@code -XX:...}), {@code -D} properties, assertions, and module options ({@code --add-opens}...). Left out: what
 * cannot be shared between JVMs or belongs to this one only: debug and other agents ({@code -agentlib:jdwp},
 * {@code -javaagent}), flight recordings, JMX ports ({@code -Dcom.sun.management.jmxremote*}), the class path and
 * main class, ahead-of-time and CDS archives (children have their own), log files ({@code -Xlog:...:file=}),
 * and informational switches ({@code -version}, {@code -XshowSettings}). Options from {@code JDK_JAVA_OPTIONS} and
 * {@code JAVA_TOOL_OPTIONS} are not on the command line: children get them from the environment they inherit.
 */
public final class InheritedJvmOptions {
    /** Options whose value is the next argument. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
            "--patch-module", "--enable-native-access", "--source", "--illegal-native-access");
    /** Options followed by the class path or module to run: nothing after them is an option of the JVM. */
    private static final Set<String> ENDS = Set.of("-jar", "-m", "--module", "-d", "--describe-module");
    private static final Set<String> NOT_SHARED_WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p",
            "--module-path", "--upgrade-module-path", "--source");
    private static final List<String> NOT_SHARED_PREFIXES = List.of("-agentlib:", "-agentpath:", "-javaagent:", "-Xrun",
            "-Xdebug", "-Xnoagent", "-Xshare", "-XshowSettings", "-Xinternalversion", "-Xloggc:", "-splash:",
            "-XX:StartFlightRecording", "-XX:FlightRecorder", "-XX:+FlightRecorder", "-XX:AOTCache", "-XX:AOTMode",
            "-XX:AOTConfiguration", "-XX:SharedArchiveFile", "-XX:ArchiveClassesAtExit", "-XX:+AutoCreateSharedArchive",
            "-XX:DumpLoadedClassList", "-XX:SharedClassListFile", "-XX:+PrintFlagsFinal", "-XX:+PrintCommandLineFlags",
            "-Dcom.sun.management.jmxremote", "-Djava.rmi.server.hostname", "-Dmp4j.", "-Djava.class.path=",
            "-Dsun.java.command=", "-Djdk.internal.");
    private static final Set<String> NOT_SHARED = Set.of("-version", "--version", "-showversion", "--show-version",
            "--dry-run", "--validate-modules", "--list-modules", "-help", "--help", "-h", "-?", "-X", "--help-extra",
            "--disable-@files");

    private InheritedJvmOptions() {}

    private static volatile List<String> ofThisJvm;

    /**
     * This JVM's options that its children inherit (read once from its command line).
     *
     * @return the options, in their order
     */
    public static List<String> ofThisJvm() {
        List<String> o = ofThisJvm;
        if (o == null) ofThisJvm = o = List.copyOf(of(commandLine()));
        return o;
    }

    /**
     * This JVM's arguments, without the executable: from {@code /proc/self/cmdline}, whole. Not
     * {@code ProcessHandle.Info.arguments()}: it gives none for a long command line, which a long class path makes
     * (docs/journal/2026-12-07-embedding.md#processhandleinfoarguments-and-long-command-lines).
     */
    static List<String> commandLine() {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<String> argv = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < b.length; i++) {
                if (b[i] == 0) {
                    argv.add(new String(b, start, i - start, java.nio.charset.StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return argv.isEmpty() ? List.of() : argv.subList(1, argv.size());
        } catch (IOException | RuntimeException e) {
            return List.of(ProcessHandle.current().info().arguments().orElse(new String[0]));
        }
    }

    /**
     * The options among {@code args} (a {@code java} command line without the executable, as the launcher got
     * it: {@code @argfiles} are read) that a child inherits, in their order.
     *
     * @param args a command line's arguments
     * @return the inherited options
     */
    public static List<String> of(List<String> args) {
        List<String> out = new ArrayList<>();
        List<String> expanded = expandArgFiles(args);
        for (int i = 0; i < expanded.size(); i++) {
            String a = expanded.get(i);
            if (ENDS.contains(a) || !a.startsWith("-")) break; // the main class, jar, module or source file
            if (WITH_VALUE.contains(a)) {
                if (i + 1 >= expanded.size()) break;
                String v = expanded.get(++i);
                if (!NOT_SHARED_WITH_VALUE.contains(a)) out.add(a + "=" + v);
                continue;
            }
            if (shared(a)) out.add(a);
        }
        return out;
    }

    private static boolean shared(String a) {
        if (NOT_SHARED.contains(a)) return false;
        for (String p : NOT_SHARED_PREFIXES) if (a.startsWith(p)) return false;
        if (a.startsWith("-Xlog") && a.contains("file=")) return false; // children would write over one file
        for (String p : List.of("--class-path=", "--module-path=", "--upgrade-module-path=", "--source=")) {
            if (a.startsWith(p)) return false;
        }
        return true;
    }

    /** The launcher's {@code @file} arguments replaced by the arguments the file holds (up to the main class). */
    static List<String> expandArgFiles(List<String> args) {
        List<String> out = new ArrayList<>();
        boolean atFiles = true;
        for (String a : args) {
            if (a.equals("--disable-@files")) atFiles = false;
            if (atFiles && a.startsWith("@") && !a.startsWith("@@")) {
                try {
                    out.addAll(parseArgFile(Files.readString(Path.of(a.substring(1)))));
                } catch (IOException | RuntimeException e) {
                    out.add(a); // gone (a build tool's temporary file): nothing to inherit from it
                }
            } else {
                out.add(a.startsWith("@@") ? a.substring(1) : a);
            }
        }
        return out;
    }

    /**
     * The arguments of an argument file, as the {@code java} launcher reads them: separated by white space,
     * {@code "..."} or {@code '...'} quoting (a backslash escapes the next character inside quotes), {@code #} to
     * the end of the line a comment outside quotes.
     */
    static List<String> parseArgFile(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && i + 1 < text.length()) {
                    char n = text.charAt(++i);
                    cur.append(switch (n) { case 'n' -> '\n'; case 't' -> '\t'; case 'r' -> '\r'; case 'f' -> '\f'; default -> n; });
                } else cur.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                if (cur == null) cur = new StringBuilder();
            } else if (Character.isWhitespace(c)) {
                if (cur != null) out.add(cur.toString());
                cur = null;
            } else if (c == '#' && cur == null) {
                while (i + 1 < text.length() && text.charAt(i + 1) != '\n') i++;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }
}
