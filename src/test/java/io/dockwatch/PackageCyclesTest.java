package io.dockwatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the collector depend on each other, directly or round about: a package is a
 * layer that can be read, tested and replaced on its own (a new sink is one package that nothing
 * else imports). Reads {@code src/main/java} and {@code src/generated/java} as text: every
 * {@code io.dockwatch...Type} an import or the code names, outside comments and strings, is an
 * arrow from the file's package to that type's package.
 */
class PackageCyclesTest {
    private static final Path SOURCES = Path.of("src/main/java");
    /** What camel-package-maven-plugin writes (configurers name the types of the options they bind). */
    private static final Path GENERATED = Path.of("src/generated/java");
    /** A qualified name of one of ours, up to the first segment that starts upper case (the type). */
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.dockwatch((?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");
    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    @Test
    void thePackageGraphHasNoCycle() throws IOException {
        Map<String, Map<String, Set<String>>> arrows = packageGraph(); // from → to → files that tie them
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(arrows)) {
            if (component.size() < 2) {
                continue;
            }
            StringBuilder sb = new StringBuilder("cycle among " + component + ":");
            for (String from : component) {
                for (String to : component) {
                    Set<String> files = arrows.getOrDefault(from, Map.of()).get(to);
                    if (files != null) {
                        sb.append("\n    ").append(from).append(" -> ").append(to).append(" in ").append(files);
                    }
                }
            }
            cycles.add(sb.toString());
        }
        assertThat(cycles).as("package cycles in src/main/java and src/generated/java").isEmpty();
    }

    @Test
    void theReaderSeesArrowsItMustSee() throws IOException {
        // a reader that sees nothing passes the test above trivially: the launcher uses its packages
        Map<String, Set<String>> fromRoot = packageGraph().get("io.dockwatch");
        assertThat(fromRoot).containsKeys("io.dockwatch.settings", "io.dockwatch.observe", "io.dockwatch.docker");
    }

    private static Map<String, Map<String, Set<String>>> packageGraph() throws IOException {
        Map<String, Map<String, Set<String>>> arrows = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Stream.concat(Files.walk(SOURCES), Files.walk(GENERATED))) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).as("Java sources under " + SOURCES.toAbsolutePath()).hasSizeGreaterThan(50);
        for (Path file : files) {
            String text = withoutCommentsAndStrings(Files.readString(file));
            Matcher pkg = PACKAGE.matcher(text);
            assertThat(pkg.find()).as("package line of " + file).isTrue();
            String from = pkg.group(1);
            Matcher ref = REFERENCE.matcher(text);
            while (ref.find()) {
                String to = "io.dockwatch" + ref.group(1);
                if (!to.equals(from)) {
                    arrows.computeIfAbsent(from, k -> new TreeMap<>()).computeIfAbsent(to, k -> new TreeSet<>())
                            .add(SOURCES.relativize(file).toString());
                }
            }
        }
        return arrows;
    }

    /** Blanks comments, string and char literals (text blocks too), keeping everything else. */
    static String withoutCommentsAndStrings(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            if (s.startsWith("//", i)) {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("/*", i)) {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? s.length() : end + 2;
                out.append(' ');
            } else if (s.startsWith("\"\"\"", i)) {
                int end = s.indexOf("\"\"\"", i + 3);
                i = end < 0 ? s.length() : end + 3;
                out.append("\"\"");
            } else if (s.charAt(i) == '"' || s.charAt(i) == '\'') {
                char quote = s.charAt(i++);
                while (i < s.length() && s.charAt(i) != quote) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
                out.append(quote).append(quote);
            } else {
                out.append(s.charAt(i++));
            }
        }
        return out.toString();
    }

    /** Tarjan's strongly connected components, iteratively (no deep recursion on a long chain). */
    private static List<Set<String>> stronglyConnected(Map<String, Map<String, Set<String>>> arrows) {
        Set<String> nodes = new TreeSet<>(arrows.keySet());
        arrows.values().forEach(m -> nodes.addAll(m.keySet()));
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> result = new ArrayList<>();
        int[] counter = {0};
        for (String start : nodes) {
            if (index.containsKey(start)) {
                continue;
            }
            Deque<Object[]> work = new ArrayDeque<>(); // {node, iterator over its successors}
            visit(start, index, low, stack, onStack, counter, work, arrows);
            while (!work.isEmpty()) {
                Object[] top = work.peek();
                String v = (String) top[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<String> next = (java.util.Iterator<String>) top[1];
                if (next.hasNext()) {
                    String w = next.next();
                    if (!index.containsKey(w)) {
                        visit(w, index, low, stack, onStack, counter, work, arrows);
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = (String) work.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    result.add(component);
                }
            }
        }
        return result;
    }

    private static void visit(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
            Set<String> onStack, int[] counter, Deque<Object[]> work, Map<String, Map<String, Set<String>>> arrows) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        work.push(new Object[] {v, arrows.getOrDefault(v, Map.of()).keySet().iterator()});
    }
}
