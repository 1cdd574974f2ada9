package tally.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point one way: the packages of every module's main sources, with an edge for each
 * {@code import tally.*}, form no cycle. The server's wiring sits on top, the store and the job at the
 * bottom; a cycle would mean a lower package reaching up.
 */
@Tag("unit")
class PackageCyclesTest {
    private static final Pattern PACKAGE = Pattern.compile("^package (tally[\\w.]*);", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(tally(?:\\.[a-z]\\w*)*)\\.[A-Z]",
            Pattern.MULTILINE);

    @Test
    void no_package_of_the_main_sources_depends_on_itself_through_others() throws IOException {
        Map<String, Set<String>> graph = packageGraph();
        assertThat(graph).containsKeys("tally.cli", "tally.job", "tally.server", "tally.store", "tally.deploy", "tally.testing");

        List<String> cycle = findCycle(graph);

        assertThat(cycle).as("a package cycle: %s", String.join(" -> ", cycle)).isEmpty();
        assertThat(graph.get("tally.store")).doesNotContain("tally.http", "tally.ingest", "tally.server", "tally.web");
        assertThat(graph.get("tally.job")).allMatch(p -> p.equals("tally.job"));
        // tally-cli, the parser tally and tally-deploy share, is the JDK alone (its pom has no dependencies).
        assertThat(graph.get("tally.cli")).isEmpty();
        // tally-test-support is test code (scope test): it reaches into nothing of ours, and no main code reaches it.
        assertThat(graph.get("tally.testing")).isEmpty();
        assertThat(graph).allSatisfy((pkg, imports) -> assertThat(imports).as(pkg).doesNotContain("tally.testing"));
    }

    private static Map<String, Set<String>> packageGraph() throws IOException {
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Repository.path("."))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> f.toString().contains("/src/main/java/")).filter(f -> !f.toString().contains("/target/"))
                    .toList()) {
                String source = Files.readString(file);
                Matcher pkg = PACKAGE.matcher(source);
                if (!pkg.find()) {
                    continue;
                }
                Set<String> edges = graph.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
                Matcher imports = IMPORT.matcher(source);
                while (imports.find()) {
                    if (!imports.group(1).equals(pkg.group(1))) {
                        edges.add(imports.group(1));
                    }
                }
            }
        }
        return graph;
    }

    /** One cycle as a path of packages, or empty: depth-first search, a back edge closes a cycle. */
    private static List<String> findCycle(Map<String, Set<String>> graph) {
        Set<String> done = new TreeSet<>();
        for (String start : graph.keySet()) {
            Deque<String> path = new ArrayDeque<>();
            List<String> cycle = visit(start, graph, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private static List<String> visit(String node, Map<String, Set<String>> graph, Deque<String> path, Set<String> done) {
        if (path.contains(node)) {
            List<String> cycle = new ArrayList<>();
            boolean in = false;
            for (String p : (Iterable<String>) path::descendingIterator) {
                in |= p.equals(node);
                if (in) {
                    cycle.add(p);
                }
            }
            cycle.add(node);
            return cycle;
        }
        if (done.contains(node)) {
            return List.of();
        }
        path.push(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            List<String> cycle = visit(next, graph, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.pop();
        done.add(node);
        return List.of();
    }
}
