package io.mp4j.crossmode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An example's expected output and the canonical form both sides are compared in.
 *
 * <p>Format of {@code src/test/resources/expected/NAME.txt}, one expected stdout line per line:
 * <ul>
 *   <li>{@code {pid}} matches a process id (digits), {@code {num}} a number (sign, digits, decimals,
 *       exponent), {@code {*}} any text: pids and times are masked, nothing else;</li>
 *   <li>a block between {@code #unordered} and {@code #end} matches its lines in any order, for output
 *       whose order is truly nondeterministic (two processes printing at once);</li>
 *   <li>{@code [fork] text} is expected only under FORK, {@code [spawn,forkserver,thread] text} only under
 *       those: the only differences between modes the launch-mode contract allows (the FORK snapshot);</li>
 *   <li>lines starting with {@code ##} are comments.</li>
 * </ul>
 * Trailing whitespace is ignored, and so are trailing empty lines.
 */
final class ExpectedOutput {
    private sealed interface Part permits Line, Unordered {}

    private record Line(Pattern pattern, String source) implements Part {}

    private record Unordered(List<Line> lines) implements Part {}

    private final List<Part> parts;
    private final boolean modeSpecific;

    private ExpectedOutput(List<Part> parts, boolean modeSpecific) {
        this.parts = parts;
        this.modeSpecific = modeSpecific;
    }

    /** True when some lines apply only to some start methods (the test names them). */
    boolean isModeSpecific() { return modeSpecific; }

    static ExpectedOutput parse(String text, String mode) {
        List<Part> parts = new ArrayList<>();
        List<Line> block = null;
        boolean specific = false;
        for (String raw : text.lines().toList()) {
            String line = raw.stripTrailing();
            if (line.startsWith("##")) continue;
            if (line.equals("#unordered")) { block = new ArrayList<>(); continue; }
            if (line.equals("#end")) {
                if (block == null) throw new IllegalArgumentException("#end without #unordered");
                parts.add(new Unordered(block));
                block = null;
                continue;
            }
            if (line.startsWith("[")) {
                int close = line.indexOf(']');
                Set<String> modes = Set.of(line.substring(1, close).toLowerCase(Locale.ROOT).split(","));
                specific = true;
                if (!modes.contains(mode)) continue;
                line = line.substring(close + 1).stripLeading();
            }
            Line l = new Line(template(line), line);
            if (block != null) block.add(l); else parts.add(l);
        }
        while (!parts.isEmpty() && parts.getLast() instanceof Line l && l.source().isEmpty()) parts.removeLast();
        return new ExpectedOutput(parts, specific);
    }

    private static Pattern template(String line) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            int next = line.indexOf('{', i);
            if (next < 0) { re.append(Pattern.quote(line.substring(i))); break; }
            re.append(Pattern.quote(line.substring(i, next)));
            if (line.startsWith("{pid}", next)) { re.append("\\d+"); i = next + 5; }
            else if (line.startsWith("{num}", next)) { re.append("-?\\d+(?:[.,]\\d+)?(?:[eE][-+]?\\d+)?"); i = next + 5; }
            else if (line.startsWith("{*}", next)) { re.append(".*"); i = next + 3; }
            else { re.append(Pattern.quote("{")); i = next + 1; }
        }
        return Pattern.compile(re.toString());
    }

    /** Returns null when {@code actual} matches, else a description of the first difference. */
    String mismatch(String actual) {
        List<String> lines = new ArrayList<>(actual.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        int at = 0;
        for (Part p : parts) {
            if (p instanceof Line l) {
                if (at >= lines.size()) return "missing line " + (at + 1) + ": expected '" + l.source() + "'";
                if (!l.pattern().matcher(lines.get(at)).matches()) {
                    return "line " + (at + 1) + ": expected '" + l.source() + "' but was '" + lines.get(at) + "'";
                }
                at++;
            } else if (p instanceof Unordered u) {
                List<String> got = new ArrayList<>(lines.subList(Math.min(at, lines.size()), Math.min(at + u.lines().size(), lines.size())));
                if (got.size() < u.lines().size()) return "missing lines from " + (at + 1) + ": expected (any order) " + sources(u);
                for (Line l : u.lines()) {
                    int idx = -1;
                    for (int k = 0; k < got.size(); k++) if (l.pattern().matcher(got.get(k)).matches()) { idx = k; break; }
                    if (idx < 0) return "lines " + (at + 1) + "-" + (at + u.lines().size()) + ": no line matches '" + l.source() + "' among " + got;
                    got.remove(idx);
                }
                at += u.lines().size();
            }
        }
        if (at < lines.size()) return "unexpected line " + (at + 1) + ": '" + lines.get(at) + "'";
        return null;
    }

    private static List<String> sources(Unordered u) { return u.lines().stream().map(Line::source).toList(); }
}
