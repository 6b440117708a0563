package io.dockwatch;

import io.dockwatch.settings.SettingsException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;

/**
 * Why the collector could not start, as the one line a user reads: where (the route and its file,
 * when Camel names them) and what (the innermost cause's message, which is the one naming the bad
 * YAML, component, option or path). Camel wraps a failure three or four times, each wrapper
 * repeating its cause or the whole route's description, so the chain is boiled down rather than
 * printed.
 */
final class StartupFailure {
    /** A line a terminal and a log collector show whole. */
    static final int MAX_LENGTH = 600;
    /** YAML parsers quote the offending source line under a "line N, column M:" line, then a caret. */
    private static final Pattern MARK_LINE = Pattern.compile(".*line \\d+, column \\d+:\\s*$");
    private static final Pattern CARET_LINE = Pattern.compile("\\s*\\^\\s*");
    /** Camel nests "Failed to resolve endpoint: X due to: " in itself when it rethrows. */
    private static final Pattern REPEATED_WRAPPER = Pattern.compile("(\\S[^:]{5,}: \\S+ due to: )\\1+");

    private StartupFailure() {
    }

    /** The line after "dockwatch: "; a bad setting keeps the line it has always had. */
    static String describe(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            if (t instanceof SettingsException) {
                return t.getMessage(); // already the one line: key, value, what is allowed
            }
            chain.add(t);
        }
        String where = null;
        List<String> messages = new ArrayList<>();
        for (Throwable t : chain) {
            if (t instanceof FailedToCreateRouteException e) {
                where = where(e.getRouteId(), e.getLocation());
            } else if (t instanceof FailedToStartRouteException e) {
                where = where(e.getRouteId(), e.getLocation());
            } else {
                String m = oneLine(t.getMessage());
                // a wrapper made with new XException(cause) only repeats the cause's toString()
                boolean echo = t.getCause() != null && m.equals(oneLine(t.getCause().toString()));
                if (!m.isEmpty() && !echo) {
                    messages.add(m);
                }
            }
        }
        String what = what(messages, chain.get(chain.size() - 1));
        String line = "cannot start: " + (where == null ? what : where + ": " + what);
        line = REPEATED_WRAPPER.matcher(line).replaceAll("$1");
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 3) + "...";
    }

    private static String where(String routeId, String location) {
        return "route " + routeId + (location == null || location.isEmpty() ? "" : " (" + location + ")");
    }

    /**
     * The shortest message that quotes the root cause's ("Failed to resolve endpoint X due to:
     * ROOT" names the URI as well; its own wrapper repeats it all again), or else the outermost
     * message (where: "Error pre-parsing resource FILE") followed by the root cause's.
     */
    private static String what(List<String> messages, Throwable root) {
        if (messages.isEmpty()) {
            return root.getClass().getSimpleName();
        }
        String innermost = messages.get(messages.size() - 1);
        String best = innermost;
        for (String m : messages) {
            if (m != innermost && m.contains(innermost) && (best == innermost || m.length() < best.length())) {
                best = m;
            }
        }
        String outer = messages.get(0);
        return best != innermost || outer.contains(innermost) ? best : outer + ": " + innermost;
    }

    /** A message on one line: the quoted source and caret lines of a YAML error left out. */
    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        String[] lines = message.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank() || CARET_LINE.matcher(line).matches()) {
                continue;
            }
            boolean mark = MARK_LINE.matcher(line).matches();
            if (mark) {
                line = line.substring(0, line.lastIndexOf(':'));
                i++; // the quoted source line
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(line.trim());
            if (mark) {
                sb.append(':');
            }
        }
        String s = sb.toString().replaceAll("\\s+", " ").trim();
        return s.endsWith(":") ? s.substring(0, s.length() - 1) : s;
    }
}
