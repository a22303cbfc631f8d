package io.mp4j.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Median, min, max, n of a set of samples, computed as suite.py's {@code summarize}. */
public record Stats(double median, double min, double max, int n) {
    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) throw new IllegalArgumentException("no samples");
        List<Double> s = new ArrayList<>(samples);
        Collections.sort(s);
        int n = s.size();
        int mid = n / 2;
        double median = n % 2 == 1 ? s.get(mid) : (s.get(mid - 1) + s.get(mid)) / 2;
        return new Stats(median, s.getFirst(), s.getLast(), n);
    }

    /** Numbers as suite.py's {@code fmt}: 1 decimal from 100, 3 from 1, else 4. */
    public static String fmt(double x) {
        double a = Math.abs(x);
        if (a >= 100) return String.format(java.util.Locale.ROOT, "%.1f", x);
        return a >= 1 ? String.format(java.util.Locale.ROOT, "%.3f", x) : String.format(java.util.Locale.ROOT, "%.4f", x);
    }

    /** {@code median (min–max)}. */
    public String display() { return fmt(median) + " (" + fmt(min) + "–" + fmt(max) + ")"; }

    /** The TSV line both suites print: {@code name<TAB>median<TAB>unit<TAB>min<TAB>max<TAB>n}. */
    public String tsv(String name, String unit) {
        return String.join("\t", name, fmt(median), unit, fmt(min), fmt(max), Integer.toString(n));
    }

    /** Parses one TSV line of either suite; null for a line that is not one (comments, blanks). */
    public static Named parseTsv(String line) {
        String[] f = line.split("\t");
        if (f.length < 6 || line.startsWith("#")) return null;
        try {
            return new Named(f[0], f[2], new Stats(Double.parseDouble(f[1]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Integer.parseInt(f[5].trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A TSV line: name, unit, stats. */
    public record Named(String name, String unit, Stats stats) {}
}
