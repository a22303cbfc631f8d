package io.mp4j.core;

import io.mp4j.worker.ChildMain;

import java.io.File;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The class path a child JVM needs to run code of a given class: this JVM's own class path when the class comes
 * from the application class loader, else the class path of the loaders it comes from. An application whose
 * classes come from another loader ({@code mvn exec:java}'s, a plugin's, an application server's) gets the
 * entries of every {@link URLClassLoader} from that class's loader up to the application class loader, then
 * this JVM's class path. A loader that does not say where its classes come from, or classes that do not come
 * from a file (generated, nested in another jar), cannot be reached from a child: the start fails at once, in
 * the caller, naming the loader.
 */
public final class ChildClassPath {
    private static final Map<ClassLoader, String> BY_LOADER = new WeakHashMap<>();

    private ChildClassPath() {}

    /**
     * The class path for a child that runs code of {@code c}, checked to reach {@code c} and the library.
     *
     * @param c the class whose code the child runs
     * @return the class path: this JVM's for the application's own loader, else one made from {@code c}'s loaders
     * @throws IllegalStateException when a child could not load {@code c} or the library from any class path
     *                               made from {@code c}'s loaders: naming the loader and what to do
     */
    public static String of(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        ClassLoader app = ClassLoader.getSystemClassLoader();
        if (loader == null || loader == app || loader == ClassLoader.getPlatformClassLoader()) {
            return System.getProperty("java.class.path");
        }
        String cp;
        synchronized (BY_LOADER) {
            cp = BY_LOADER.get(loader);
        }
        if (cp == null) {
            cp = String.join(File.pathSeparator, entries(loader));
            synchronized (BY_LOADER) {
                BY_LOADER.put(loader, cp);
            }
        }
        check(cp, c);
        check(cp, ChildMain.class);
        return cp;
    }

    /**
     * Fails unless a child with class path {@code classPath} would load {@code c} from where this JVM did.
     *
     * @param classPath the child's class path
     * @param c the class the child must load
     * @throws IllegalStateException naming {@code c}, its loader and what to do
     */
    public static void check(String classPath, Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        if (loader == null || loader == ClassLoader.getPlatformClassLoader()) return; // the JDK's own
        Path where = location(c);
        Set<Path> entries = entrySet(classPath);
        // the application loader's classes: a child whose class path holds this JVM's finds them as this JVM did
        // (through a jar's manifest Class-Path too)
        if (loader == ClassLoader.getSystemClassLoader() && entries.containsAll(entrySet(System.getProperty("java.class.path", "")))) return;
        if (where != null && entries.contains(where)) return;
        throw new IllegalStateException("a child JVM could not load " + c.getName() + ": it comes from "
                + (where == null ? "no file (" + codeSource(c) + ")" : where) + " through class loader " + describe(loader)
                + ", which is not on the class path a child JVM gets (" + abbreviate(classPath) + ")."
                + " Run the application with its classes and the library on the class path of `java` (-cp, or a jar's"
                + " Class-Path), or load them through a URLClassLoader that lists them; see docs/embedding.md");
    }

    /** The file entries of every URL class loader from {@code loader} up, then this JVM's class path. */
    static List<String> entries(ClassLoader loader) {
        Set<String> out = new LinkedHashSet<>();
        ClassLoader app = ClassLoader.getSystemClassLoader();
        for (ClassLoader l = loader; l != null && l != ClassLoader.getPlatformClassLoader(); l = l.getParent()) {
            if (l == app) break;
            if (l instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    Path p = toPath(url);
                    if (p != null) out.add(p.toString());
                }
            }
        }
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) out.add(Path.of(e).toAbsolutePath().normalize().toString());
        }
        return new ArrayList<>(out);
    }

    private static Set<Path> entrySet(String classPath) {
        Set<Path> s = new LinkedHashSet<>();
        for (String e : classPath.split(File.pathSeparator)) if (!e.isEmpty()) s.add(Path.of(e).toAbsolutePath().normalize());
        return s;
    }

    /** The jar or directory {@code c} was loaded from, or null when it does not come from a file. */
    static Path location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == null || cs.getLocation() == null ? null : toPath(cs.getLocation());
    }

    private static String codeSource(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs == null ? "no code source" : String.valueOf(cs.getLocation());
    }

    private static Path toPath(URL url) {
        if (!"file".equals(url.getProtocol())) return null;
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static String describe(ClassLoader l) {
        String name = l.getName();
        return l.getClass().getName() + (name == null ? "" : " '" + name + "'") + "@" + Integer.toHexString(System.identityHashCode(l));
    }

    private static String abbreviate(String cp) {
        return cp.length() <= 300 ? cp : cp.substring(0, 300) + "...";
    }
}
