package io.mp4j.docs;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Comments in main code say why, never when or how fast it measured: a dated measurement or an A/B run in a comment
 * goes stale, so it belongs in docs/journal/ with a link from the comment. This catches the mechanical part (a date,
 * "A/B"); a timing without a date is left to review.
 */
class SourceCommentsTest {
    private static final Pattern DATE = Pattern.compile("\\b20\\d\\d-[01]\\d-[0-3]\\d\\b");
    private static final Pattern COMMENT_LINE = Pattern.compile("^\\s*(\\*|/\\*|//).*");

    /** The comment lines of {@code source} that carry a date or an A/B run: "LINE: text". */
    static List<String> datedCommentLines(String source) {
        List<String> out = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int trailing = l.indexOf("// ");
            String comment = COMMENT_LINE.matcher(l).matches() ? l : trailing >= 0 ? l.substring(trailing) : null;
            if (comment == null) continue;
            String withoutJournal = comment.replaceAll("docs/journal/\\S*", "");
            if (DATE.matcher(withoutJournal).find() || withoutJournal.contains("A/B")) out.add((i + 1) + ": " + l.strip());
        }
        return out;
    }

    @Test
    void noMainSourceCommentCarriesADateOrAnABRun() throws IOException {
        Path root = DocsLinksTest.root();
        List<String> found = new ArrayList<>();
        for (String module : List.of("ipc", "worker", "core", "bench", "examples")) {
            Path main = root.resolve(module).resolve("src/main");
            if (!Files.isDirectory(main)) continue;
            try (Stream<Path> s = Files.walk(main)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    for (String hit : datedCommentLines(Files.readString(p))) found.add(root.relativize(p) + ":" + hit);
                }
            }
        }
        assertThat(found).isEmpty();
    }

    @Test
    void aDatedMeasurementInACommentIsFoundAndALinkToTheJournalIsNot() {
        String source = """
                /**
                 * Spins a while (docs/journal/2026-12-03-locks-queues-pipes.md#locks).
                 * Measured on 2026-12-03: 25.7 ns.
                 */
                int x = 1; // A/B in alternating runs
                String s = "2026-12-03"; // a date in code is not a comment
                """;
        assertThat(datedCommentLines(source)).containsExactly("3: * Measured on 2026-12-03: 25.7 ns.",
                "5: int x = 1; // A/B in alternating runs");
    }
}
