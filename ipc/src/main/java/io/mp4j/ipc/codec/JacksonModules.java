package io.mp4j.ipc.codec;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The application's Jackson modules, beside the JSR-310 and JDK 8 ones that {@link Codec}'s mapper always registers:
 * in a parent, those named in {@value Codec#MODULE_SERVICE_FILE} files on the class path (found once per machine
 * and class path of jars, see {@link #findModuleNames(String, java.nio.file.Path)}); in a child, those its parent
 * gave it with its launch. Thread-safe.
 */
final class JacksonModules {
    private JacksonModules() {}

    private static final Object MODULES_LOCK = new Object();
    /** Set in a child JVM of the library: it takes its parent's module names instead of looking for them. */
    private static volatile boolean childProcess;
    /** The modules' class names, found or given; null until first needed. Guarded by MODULES_LOCK. */
    private static java.util.List<String> moduleNames;
    /** The mapper once made (modules given later are registered on it at once); null before. Guarded by MODULES_LOCK. */
    private static ObjectMapper mapper;

    /**
     * Marks this JVM as a child of the library's: it does not look for Jackson modules itself (a look through every
     * jar of the class path, on a child's start path), it registers those its parent found ({@link #useModules}).
     */
    static void takeModulesFromParent() { childProcess = true; }

    /**
     * The class names of the Jackson modules this process uses besides the JSR-310 and JDK 8 ones: in a parent,
     * those named in {@value Codec#MODULE_SERVICE_FILE} files on the class path (read once, without loading the
     * classes); in a child, those its parent gave it. A child's launch carries them.
     *
     * @return the module class names
     */
    static java.util.List<String> moduleNames() {
        synchronized (MODULES_LOCK) {
            if (moduleNames == null) moduleNames = childProcess ? java.util.List.of() : findModuleNames();
            return moduleNames;
        }
    }

    /**
     * Uses these Jackson modules too (a child, given its parent's {@link #moduleNames}): registered now if the mapper
     * exists, else when it is made. A module that cannot be loaded is named in a warning and left out.
     *
     * @param names the modules' class names
     */
    static void useModules(java.util.Collection<String> names) {
        synchronized (MODULES_LOCK) {
            java.util.List<String> now = new java.util.ArrayList<>(moduleNames());
            for (String n : names) {
                if (now.contains(n)) continue;
                now.add(n);
                if (mapper != null) registerModule(mapper, n);
            }
            moduleNames = java.util.List.copyOf(now);
        }
    }

    /**
     * The module names of the service files on the class path. Looking means opening every jar (110–130 ms of CPU for
     * the bench's 59 jars: docs/journal/2026-12-07-first-use.md), on every parent's first start: for a class path of
     * jars only, the answer is kept on disk under a key made of each jar's path, size and modification time, so that
     * it is looked for once per machine and class path, not once per JVM.
     */
    private static java.util.List<String> findModuleNames() {
        boolean appLoaderOnly = loaders().size() == 1 && loaders().getFirst() == ClassLoader.getSystemClassLoader();
        if (!appLoaderOnly) return scanModuleNames();
        return findModuleNames(System.getProperty("java.class.path", ""), java.nio.file.Path.of(System.getProperty(Codec.MODULE_CACHE_DIR_PROPERTY,
                System.getProperty("user.home") + "/.cache/mp4j/jackson-modules")));
    }

    /** {@link #findModuleNames()} for this class path, kept in {@code cacheDir} when the class path is of jars only. */
    static java.util.List<String> findModuleNames(String classPath, java.nio.file.Path cacheDir) {
        String key = moduleCacheKey(classPath);
        if (key == null) return scanModuleNames();
        long h = 0xcbf29ce484222325L;   // FNV-1a, 64 bits: the file's first line holds the whole key
        for (int i = 0; i < key.length(); i++) h = (h ^ key.charAt(i)) * 0x100000001b3L;
        java.nio.file.Path cache = cacheDir.resolve(Long.toHexString(h) + ".txt");
        try {
            java.util.List<String> lines = java.nio.file.Files.readAllLines(cache, StandardCharsets.UTF_8);
            if (!lines.isEmpty() && lines.getFirst().equals(key)) return java.util.List.copyOf(lines.subList(1, lines.size()));
        } catch (IOException | RuntimeException e) {
            // none yet, or unreadable: look
        }
        java.util.List<String> found = scanModuleNames();
        try {
            java.nio.file.Files.createDirectories(cacheDir);
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(cacheDir, cache.getFileName().toString(), ".tmp");
            java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(key));
            lines.addAll(found);
            java.nio.file.Files.write(tmp, lines, StandardCharsets.UTF_8);
            java.nio.file.Files.move(tmp, cache, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            // only a shortcut: the next JVM looks again
        }
        return found;
    }

    /** Every class-path entry as path, size and modification time; null when one is not a regular file (a directory). */
    static String moduleCacheKey(String classPath) {
        StringBuilder k = new StringBuilder();
        for (String e : classPath.split(java.io.File.pathSeparator)) {
            if (e.isEmpty()) continue;
            java.io.File f = new java.io.File(e);
            if (!f.isFile()) return null;
            k.append(f.getAbsolutePath()).append(' ').append(f.length()).append(' ').append(f.lastModified()).append('|');
        }
        return k.isEmpty() ? null : k.toString();
    }

    private static java.util.List<String> scanModuleNames() {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (ClassLoader l : loaders()) {
            try {
                var urls = l.getResources(Codec.MODULE_SERVICE_FILE);
                while (urls.hasMoreElements()) {
                    try (var in = urls.nextElement().openStream()) {
                        for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                            int hash = line.indexOf('#');
                            String n = (hash < 0 ? line : line.substring(0, hash)).strip();
                            if (!n.isEmpty()) names.add(n);
                        }
                    }
                }
            } catch (IOException e) {
                org.slf4j.LoggerFactory.getLogger(Codec.class).warn("cannot read the {} files: {}", Codec.MODULE_SERVICE_FILE, e.toString());
            }
        }
        return java.util.List.copyOf(names);
    }

    /** The library's own loader (a child's class path is its parent's), then the thread's when it is another. */
    private static java.util.List<ClassLoader> loaders() {
        ClassLoader own = JacksonModules.class.getClassLoader(), tccl = Thread.currentThread().getContextClassLoader();
        return tccl == null || tccl == own ? java.util.List.of(own) : java.util.List.of(own, tccl);
    }

    private static void registerModule(ObjectMapper m, String name) {
        Throwable failure = null;
        for (ClassLoader l : loaders()) {
            try {
                Class<?> c = Class.forName(name, true, l);
                m.registerModule((com.fasterxml.jackson.databind.Module) c.getConstructor().newInstance());
                return;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                failure = e;
            }
        }
        org.slf4j.LoggerFactory.getLogger(Codec.class).warn("the Jackson module {} (named in {}) cannot be used; the values"
                + " that need it will not travel: {}", name, Codec.MODULE_SERVICE_FILE, String.valueOf(failure));
    }

    /**
     * Registers the modules on the mapper being made, and any given later ({@link #useModules}) on it too.
     *
     * @param m the codec's mapper
     */
    static void registerAll(ObjectMapper m) {
        synchronized (MODULES_LOCK) {
            for (String n : moduleNames()) registerModule(m, n);
            mapper = m;
        }
    }
}
