package io.mp4j.crossmode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
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
 * Masking must not hide the numbers that matter, so a masked number can be named and checked:
 * <ul>
 *   <li>{@code {num:NAME}} and {@code {pid:NAME}} match as {@code {num}} and {@code {pid}}, and record the value
 *       under {@code NAME} (letters and digits), in the order of the output's lines;</li>
 *   <li>{@code #sum NAME = 100}: the values recorded under {@code NAME} add up to 100 (two consumers' counts);</li>
 *   <li>{@code #runs NAME = 5,5}: the values, in output order, come in runs of equal values of these lengths, each
 *       run's value new ("five lines from one child, then five from the other": mutual exclusion).</li>
 * </ul>
 * Trailing whitespace is ignored, and so are trailing empty lines.
 */
final class ExpectedOutput {
    private sealed interface Part permits Line, Unordered {}

    private record Line(Pattern pattern, String source, List<String> names) implements Part {}

    private record Unordered(List<Line> lines) implements Part {}

    /** A rule on the values recorded under a name: {@code #sum} or {@code #runs}. */
    private record Rule(String kind, String name, List<Long> expected, String source) {}

    /** A value recorded under a name, with the number of the output line it came from. */
    private record Capture(int line, String name, long value) {}

    private final List<Part> parts;
    private final List<Rule> rules;
    private final boolean modeSpecific;

    private ExpectedOutput(List<Part> parts, List<Rule> rules, boolean modeSpecific) {
        this.parts = parts;
        this.rules = rules;
        this.modeSpecific = modeSpecific;
    }

    /** True when some lines apply only to some start methods (the test names them). */
    boolean isModeSpecific() { return modeSpecific; }

    static ExpectedOutput parse(String text, String mode) {
        List<Part> parts = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        List<Line> block = null;
        boolean specific = false;
        for (String raw : text.lines().toList()) {
            String line = raw.stripTrailing();
            if (line.startsWith("##")) continue;
            if (line.startsWith("#sum ") || line.startsWith("#runs ")) {
                rules.add(rule(line));
                continue;
            }
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
            List<String> names = new ArrayList<>();
            Line l = new Line(template(line, names), line, List.copyOf(names));
            if (block != null) block.add(l); else parts.add(l);
        }
        while (!parts.isEmpty() && parts.getLast() instanceof Line l && l.source().isEmpty()) parts.removeLast();
        return new ExpectedOutput(parts, rules, specific);
    }

    private static final Pattern RULE = Pattern.compile("#(sum|runs) ([A-Za-z0-9]+) = ([0-9, ]+)");
    private static final Pattern NAMED = Pattern.compile("\\{(num|pid):([A-Za-z0-9]+)}");
    private static final String NUM = "-?\\d+(?:[.,]\\d+)?(?:[eE][-+]?\\d+)?";

    private static Rule rule(String line) {
        Matcher m = RULE.matcher(line);
        if (!m.matches()) throw new IllegalArgumentException("not a rule ('#sum NAME = N' or '#runs NAME = A,B'): " + line);
        List<Long> values = java.util.Arrays.stream(m.group(3).split(",")).map(String::strip).map(Long::parseLong).toList();
        return new Rule(m.group(1), m.group(2), values, line);
    }

    /** The line's pattern; the names it records go to {@code names}. */
    private static Pattern template(String line, List<String> names) {
        StringBuilder re = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            int next = line.indexOf('{', i);
            if (next < 0) { re.append(Pattern.quote(line.substring(i))); break; }
            re.append(Pattern.quote(line.substring(i, next)));
            Matcher named = NAMED.matcher(line).region(next, line.length());
            if (line.startsWith("{pid}", next)) { re.append("\\d+"); i = next + 5; }
            else if (line.startsWith("{num}", next)) { re.append(NUM); i = next + 5; }
            else if (line.startsWith("{*}", next)) { re.append(".*"); i = next + 3; }
            else if (named.lookingAt()) {
                names.add(named.group(2));
                re.append("(?<").append(named.group(2)).append(">").append(named.group(1).equals("pid") ? "\\d+" : NUM).append(")");
                i = named.end();
            }
            else { re.append(Pattern.quote("{")); i = next + 1; }
        }
        return Pattern.compile(re.toString());
    }

    /** Returns null when {@code actual} matches and every rule holds, else a description of the first difference. */
    String mismatch(String actual) {
        List<String> lines = new ArrayList<>(actual.lines().map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) lines.removeLast();
        List<Capture> captures = new ArrayList<>();
        int at = 0;
        for (Part p : parts) {
            if (p instanceof Line l) {
                if (at >= lines.size()) return "missing line " + (at + 1) + ": expected '" + l.source() + "'";
                Matcher m = l.pattern().matcher(lines.get(at));
                if (!m.matches()) {
                    return "line " + (at + 1) + ": expected '" + l.source() + "' but was '" + lines.get(at) + "'";
                }
                record(captures, at, l, m);
                at++;
            } else if (p instanceof Unordered u) {
                List<Integer> left = new ArrayList<>();
                for (int k = at; k < Math.min(at + u.lines().size(), lines.size()); k++) left.add(k);
                if (left.size() < u.lines().size()) return "missing lines from " + (at + 1) + ": expected (any order) " + sources(u);
                for (Line l : u.lines()) {
                    Matcher found = null;
                    int idx = -1;
                    for (int k = 0; k < left.size() && found == null; k++) {
                        Matcher m = l.pattern().matcher(lines.get(left.get(k)));
                        if (m.matches()) { found = m; idx = k; }
                    }
                    if (found == null) {
                        return "lines " + (at + 1) + "-" + (at + u.lines().size()) + ": no line matches '" + l.source() + "' among "
                                + left.stream().map(lines::get).toList();
                    }
                    record(captures, left.remove(idx), l, found);
                }
                at += u.lines().size();
            }
        }
        if (at < lines.size()) return "unexpected line " + (at + 1) + ": '" + lines.get(at) + "'";
        captures.sort(Comparator.comparingInt(Capture::line));
        for (Rule r : rules) {
            List<Long> values = captures.stream().filter(c -> c.name().equals(r.name())).map(Capture::value).toList();
            String broken = r.kind().equals("sum") ? checkSum(r, values) : checkRuns(r, values);
            if (broken != null) return broken;
        }
        return null;
    }

    private static void record(List<Capture> captures, int line, Line l, Matcher m) {
        for (String name : l.names()) captures.add(new Capture(line, name, (long) Double.parseDouble(m.group(name).replace(',', '.'))));
    }

    private static String checkSum(Rule r, List<Long> values) {
        long sum = values.stream().mapToLong(Long::longValue).sum();
        return sum == r.expected().getFirst() ? null : "'" + r.source() + "' does not hold: " + values + " add up to " + sum;
    }

    private static String checkRuns(Rule r, List<Long> values) {
        List<Long> lengths = new ArrayList<>();
        List<Long> runValues = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            if (i == 0 || !values.get(i).equals(values.get(i - 1))) {
                runValues.add(values.get(i));
                lengths.add(0L);
            }
            lengths.set(lengths.size() - 1, lengths.getLast() + 1);
        }
        boolean distinct = runValues.stream().distinct().count() == runValues.size();
        if (lengths.equals(r.expected()) && distinct) return null;
        return "'" + r.source() + "' does not hold: the values " + values + " come in runs of " + lengths
                + (distinct ? "" : ", a value coming back after another");
    }

    private static List<String> sources(Unordered u) { return u.lines().stream().map(Line::source).toList(); }
}
