package io.dockwatch.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A tiny metrics registry that writes the Prometheus text format (version 0.0.4).
 *
 * <p>Why not Micrometer (camel-micrometer): the collector exposes a dozen series with at most one
 * label; Micrometer plus its Prometheus registry would add several jars, their own dependency
 * lines for the enforcer to converge, and per-record overhead on the log hot path. A
 * {@link LongAdder} per series costs one uncontended add per batch and nothing else.
 */
public final class Metrics {
    /** Media type Prometheus asks for and accepts. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final List<Family> families = new CopyOnWriteArrayList<>();

    private abstract static class Family {
        final String name;
        final String help;
        final String type;
        final String label;

        Family(String name, String help, String type, String label) {
            this.name = name;
            this.help = help;
            this.type = type;
            this.label = label;
        }

        abstract Map<String, ? extends Number> samples();
    }

    /** A monotonically increasing count with one label (or none: label null, sample key ""). */
    public static final class Counter extends Family {
        private final Map<String, LongAdder> values = new ConcurrentHashMap<>();

        Counter(String name, String help, String label) {
            super(name, help, "counter", label);
        }

        public LongAdder labels(String value) {
            return values.computeIfAbsent(value == null ? "" : value, v -> new LongAdder());
        }

        public long get(String value) {
            LongAdder a = values.get(value == null ? "" : value);
            return a == null ? 0 : a.sum();
        }

        @Override
        Map<String, ? extends Number> samples() {
            Map<String, Long> m = new java.util.TreeMap<>();
            values.forEach((k, v) -> m.put(k, v.sum()));
            return m;
        }
    }

    private static final class Gauge extends Family {
        private final Supplier<Map<String, ? extends Number>> supplier;

        Gauge(String name, String help, String type, String label, Supplier<Map<String, ? extends Number>> supplier) {
            super(name, help, type, label);
            this.supplier = supplier;
        }

        @Override
        Map<String, ? extends Number> samples() {
            return supplier.get();
        }
    }

    public Counter counter(String name, String help, String label) {
        Counter c = new Counter(name, help, label);
        families.add(c);
        return c;
    }

    /** A gauge read when scraped: label value → number (use "" as the only key when unlabelled). */
    public void gauge(String name, String help, String label, Supplier<Map<String, ? extends Number>> samples) {
        families.add(new Gauge(name, help, "gauge", label, samples));
    }

    /** A counter kept elsewhere (e.g. by the spool), read when scraped. */
    public void counterFrom(String name, String help, String label, Supplier<Map<String, ? extends Number>> samples) {
        families.add(new Gauge(name, help, "counter", label, samples));
    }

    /** Every family in the Prometheus text exposition format. */
    public String scrape() {
        StringBuilder sb = new StringBuilder(4096);
        for (Family f : families) {
            Map<String, ? extends Number> samples;
            try {
                samples = f.samples();
            } catch (RuntimeException e) {
                continue; // one broken gauge must not take the whole scrape down
            }
            sb.append("# HELP ").append(f.name).append(' ').append(f.help.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
            sb.append("# TYPE ").append(f.name).append(' ').append(f.type).append('\n');
            List<String> keys = new ArrayList<>(samples.keySet());
            java.util.Collections.sort(keys);
            for (String k : keys) {
                sb.append(f.name);
                if (f.label != null) {
                    sb.append('{').append(f.label).append("=\"").append(escapeLabel(k)).append("\"}");
                }
                sb.append(' ').append(format(samples.get(k))).append('\n');
            }
        }
        return sb.toString();
    }

    static String escapeLabel(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String format(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d)) {
                return "NaN";
            }
            if (Double.isInfinite(d)) {
                return d > 0 ? "+Inf" : "-Inf";
            }
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
        }
        return Long.toString(n.longValue());
    }
}
