package io.mp4j.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The user guide's links: every link of the README, CONTRIBUTING.md and docs/ either points to a public site
 * (http or https) or to a file inside the repository, and an anchor names a heading of its page (as GitHub makes
 * them). Links inside code blocks are not links.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern FENCE = Pattern.compile("(?s)```.*?```");

    /** The repository's root: the nearest directory, from the working directory up, that has the README and docs/. */
    static Path root() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("README.md")) && Files.isDirectory(d.resolve("docs"))) return d;
        }
        throw new IllegalStateException("no README.md with a docs/ beside it above " + Path.of("").toAbsolutePath());
    }

    static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        if (Files.isRegularFile(root.resolve("CONTRIBUTING.md"))) pages.add(root.resolve("CONTRIBUTING.md"));
        try (Stream<Path> s = Files.walk(root.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** GitHub's anchor of a heading: lower case, punctuation but '-' and '_' dropped, spaces as '-'. */
    static String slug(String heading) {
        String h = heading.strip().toLowerCase(Locale.ROOT).replace("`", "").replace("*", "");
        h = h.replaceAll("[^\\p{L}\\p{N}_\\- ]", "");
        return h.replace(' ', '-');
    }

    static Set<String> anchors(Path page) {
        try {
            String text = FENCE.matcher(Files.readString(page)).replaceAll("");
            Set<String> out = new HashSet<>();
            for (String line : text.split("\n")) {
                Matcher m = Pattern.compile("^#+\\s+(.*)$").matcher(line);
                if (m.matches()) out.add(slug(m.group(1)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What is wrong with each link of {@code page}: one line per broken link, empty when none is. */
    static List<String> brokenLinks(Path root, Path page) throws IOException {
        List<String> broken = new ArrayList<>();
        String text = FENCE.matcher(Files.readString(page)).replaceAll("");
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            String url = m.group(1);
            String where = root.relativize(page) + ": " + url;
            if (url.startsWith("https://") || url.startsWith("http://")) continue;
            if (url.contains("://") || url.startsWith("mailto:") || url.startsWith("/")) {
                broken.add(where + " (neither a public site nor a file of the repository)");
                continue;
            }
            int hash = url.indexOf('#');
            String file = hash < 0 ? url : url.substring(0, hash);
            Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            if (!target.startsWith(root)) {
                broken.add(where + " (leaves the repository)");
            } else if (!Files.exists(target)) {
                broken.add(where + " (no such file)");
            } else if (hash >= 0 && target.toString().endsWith(".md") && !anchors(target).contains(url.substring(hash + 1))) {
                broken.add(where + " (no such heading in " + root.relativize(target) + ")");
            }
        }
        return broken;
    }

    @Test
    void everyLinkOfTheGuidePointsToAPublicSiteOrToAFileAndHeadingOfTheRepository() throws IOException {
        Path root = root();
        List<String> broken = new ArrayList<>();
        for (Path page : pages(root)) broken.addAll(brokenLinks(root, page));
        assertThat(broken).isEmpty();
    }

    @Test
    void aLinkOutsideTheRepositoryToAMissingFileOrToAMissingHeadingIsReported(@TempDir Path repo) throws IOException {
        Path docs = Files.createDirectories(repo.resolve("docs"));
        Files.writeString(repo.resolve("README.md"), "# Readme\n");
        Files.writeString(docs.resolve("performance.md"), "# Performance\n\n## Latest run\n");
        Path page = Files.writeString(docs.resolve("page.md"), "# A page\n\n[out](../../shared/PERFORMANCE.md) "
                + "[gone](no-such.md) [heading](performance.md#no-such-heading) [ok](performance.md#latest-run) "
                + "[up](../README.md) [site](https://example.org/x)\n```\n[in code](../../nowhere.md)\n```\n");
        assertThat(brokenLinks(repo, page)).hasSize(3)
                .anySatisfy(l -> assertThat(l).contains("../../shared/PERFORMANCE.md").contains("leaves the repository"))
                .anySatisfy(l -> assertThat(l).contains("no-such.md").contains("no such file"))
                .anySatisfy(l -> assertThat(l).contains("#no-such-heading").contains("no such heading"));
    }

    @Test
    void headingsBecomeGithubAnchors() {
        assertThat(slug("Full run, 22:20 UTC")).isEqualTo("full-run-2220-utc");
        assertThat(slug("`value_lock`")).isEqualTo("value_lock");
        assertThat(slug("Pools and the executor")).isEqualTo("pools-and-the-executor");
    }
}
