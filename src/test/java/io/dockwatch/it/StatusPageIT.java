package io.dockwatch.it;

import static io.dockwatch.testing.Collector.containerName;
import static io.dockwatch.testing.Collector.kind;
import static io.dockwatch.testing.Docker.TEST_IMAGE;
import static io.dockwatch.testing.Docker.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dockwatch.testing.Collector;
import io.dockwatch.testing.Docker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real browser (Debian's headless Chromium), against a collector following
 * a busy container and having seen a drift: the page fills itself from the status JSON, and a
 * screenshot is kept in {@code target/status-page.png} for a person to look at.
 */
class StatusPageIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path SCREENSHOT = Path.of("target", "status-page.png").toAbsolutePath();
    private static final Pattern CHART_POINTS = Pattern.compile("id=\"rate-line\" points=\"([^\"]*)\"");

    @TempDir
    Path work;
    private final String busy = Docker.uniqueName("busy");
    private final String web = Docker.uniqueName("web");

    @AfterEach
    void cleanUp() {
        Docker.removeQuietly(busy, web);
    }

    @Test
    void thePageShowsDaemonsContainersSinksDriftAndAChartInABrowser() throws Exception {
        // the daemon is shared: read only this test's containers' logs
        try (Collector collector = new Collector(work).with("dockwatch.containers.include", busy + "," + web).start()) {
            docker("run", "-d", "--network", "none", "--name", busy, TEST_IMAGE, "sh", "-c",
                    "i=0; while true; do i=$((i+1)); echo \"request $i served\"; usleep 20000; done");
            docker("run", "-d", "--network", "none", "--name", web, "-e", "MODE=blue", TEST_IMAGE, "sleep", "300");
            docker("rm", "-f", web);
            docker("run", "-d", "--network", "none", "--name", web, "-e", "MODE=green", TEST_IMAGE, "sleep", "300");
            collector.awaitRecords(kind("drift").and(containerName(web)), 1, WAIT);
            collector.awaitRecords(kind("log").and(containerName(busy)), 50, WAIT);
            Thread.sleep(3000); // a few seconds of history for the chart

            String url = collector.baseUrl() + "/";
            String dom = chromium("--dump-dom", url);

            assertThat(dom).contains("<tr class=\"daemon\">").contains("unix:///var/run/docker.sock")
                    .contains("<span class=\"badge connected\">connected</span>");
            assertThat(dom).contains("<tr class=\"container\"><td title=\"" + busy + "\">" + busy + "</td>");
            assertThat(dom).contains("<tr class=\"sink\"><td title=\"file\">file</td><td><span class=\"badge delivering\">delivering</span>");
            assertThat(dom).contains("<strong>" + web + "</strong>").contains("env.MODE");
            assertThat(dom).contains("<span id=\"health\" class=\"badge UP\">UP</span>");
            assertThat(dom).contains("<span id=\"error\"></span>"); // no fetch error shown
            Matcher chart = CHART_POINTS.matcher(dom);
            assertThat(chart.find()).isTrue();
            String[] points = chart.group(1).trim().split(" ");
            assertThat(points.length).isGreaterThanOrEqualTo(3);
            // the busy container prints ~50 lines/s: some point of the line lies above the chart's floor (y=130)
            assertThat(List.of(points)).anySatisfy(p -> assertThat(Double.parseDouble(p.split(",")[1])).isLessThan(120.0));

            Files.deleteIfExists(SCREENSHOT);
            chromium("--screenshot=" + SCREENSHOT, url);
            assertThat(SCREENSHOT).exists();
            assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000); // a filled page, not a blank one
        }
    }

    /** Headless Chromium with a fresh profile and nothing reaching out; returns its stdout. */
    private String chromium(String action, String url) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-");
        List<String> cmd = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=1280,900",
                "--virtual-time-budget=5000", action, url));
        Process p = new ProcessBuilder(cmd).redirectError(work.resolve("chromium.err").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within 90 s");
        }
        await().atMost(Duration.ofSeconds(1)).until(() -> !p.isAlive());
        return new String(out, StandardCharsets.UTF_8);
    }
}
