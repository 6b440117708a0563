package io.dockwatch.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Prometheus text exposition as Prometheus parses it: HELP, TYPE, then one sample per line. */
class MetricsTest {

    @Test
    void countersAndGaugesAreWrittenInTheTextFormatWithTheirLabels() {
        Metrics m = new Metrics();
        Metrics.Counter records = m.counter("dockwatch_source_records_total", "Records in.", "source");
        records.labels("logs").add(41);
        records.labels("logs").increment();
        records.labels("events").add(3);
        m.gauge("dockwatch_daemons_connected", "Connected.", null, () -> Map.of("", 2));
        m.gauge("dockwatch_daemon_seconds_since_last_event", "Since.", "daemon",
                () -> Map.of("tcp://10.0.0.5:2376", 1.5));

        String text = m.scrape();

        assertThat(text).contains("""
                # HELP dockwatch_source_records_total Records in.
                # TYPE dockwatch_source_records_total counter
                dockwatch_source_records_total{source="events"} 3
                dockwatch_source_records_total{source="logs"} 42
                """);
        assertThat(text).contains("# TYPE dockwatch_daemons_connected gauge\ndockwatch_daemons_connected 2\n");
        assertThat(text).contains("dockwatch_daemon_seconds_since_last_event{daemon=\"tcp://10.0.0.5:2376\"} 1.5\n");
        assertThat(records.get("logs")).isEqualTo(42);
    }

    @Test
    void labelValuesAreEscapedSoAnyNameStaysOneSample() {
        Metrics m = new Metrics();
        m.counter("x_total", "X.", "sink").labels("a\"b\\c\nd").increment();
        assertThat(m.scrape()).contains("x_total{sink=\"a\\\"b\\\\c\\nd\"} 1\n");
    }

    @Test
    void aFailingGaugeLeavesTheOtherFamiliesInTheScrape() {
        Metrics m = new Metrics();
        m.gauge("broken", "Broken.", null, () -> {
            throw new IllegalStateException("spool closed");
        });
        m.counter("ok_total", "Fine.", null).labels(null).add(5);
        String text = m.scrape();
        assertThat(text).doesNotContain("broken").contains("ok_total 5\n");
    }

    @Test
    void wholeDoublesAreWrittenWithoutAFractionAndSpecialValuesAsPrometheusSpellsThem() {
        assertThat(Metrics.format(3.0)).isEqualTo("3");
        assertThat(Metrics.format(0.25)).isEqualTo("0.25");
        assertThat(Metrics.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Metrics.format(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(Metrics.format(7L)).isEqualTo("7");
    }
}
