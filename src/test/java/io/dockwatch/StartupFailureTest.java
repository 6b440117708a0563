package io.dockwatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.dockwatch.settings.SettingsException;
import java.io.UncheckedIOException;
import java.net.BindException;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

/** The one line a failed start-up prints, from the exception chains Camel and the JDK throw. */
class StartupFailureTest {

    @Test
    void aBadSettingKeepsItsOwnLine() {
        assertThat(StartupFailure.describe(new RuntimeCamelException(new SettingsException("dockwatch.x", "y", "z"))))
                .isEqualTo("Invalid setting dockwatch.x=y: allowed z");
    }

    @Test
    void aRouteFailureNamesTheRouteAndTheInnermostProblemOnce() {
        ResolveEndpointFailedException inner = new ResolveEndpointFailedException("docker-events://all?backlogg=all",
                "There are 1 parameters that couldn't be set. Unknown parameters=[{backlogg=all}]");
        ResolveEndpointFailedException outer = new ResolveEndpointFailedException("docker-events://all?backlogg=all", inner);
        FailedToCreateRouteException route = new FailedToCreateRouteException("misspelt", "file:/routes/r.camel.yaml",
                "Route(misspelt)[From[...] -> [a very long description]]", outer);
        assertThat(StartupFailure.describe(new RuntimeCamelException(route)))
                .isEqualTo("cannot start: route misspelt (file:/routes/r.camel.yaml): Failed to resolve endpoint: "
                        + "docker-events://all?backlogg=all due to: There are 1 parameters that couldn't be set. "
                        + "Unknown parameters=[{backlogg=all}]");
    }

    @Test
    void aYamlErrorLosesItsQuotedSourceAndCaretLines() {
        IllegalStateException yaml = new IllegalStateException("""
                while scanning a quoted scalar
                 in file:/r.camel.yaml, line 3, column 12:
                          uri: "docker-events:all
                               ^
                found unexpected end of stream
                 in file:/r.camel.yaml, line 6, column 1:
                   \s
                    ^
                """);
        assertThat(StartupFailure.describe(new RuntimeCamelException("Error pre-parsing resource: file:/r.camel.yaml", yaml)))
                .isEqualTo("cannot start: Error pre-parsing resource: file:/r.camel.yaml: while scanning a quoted scalar "
                        + "in file:/r.camel.yaml, line 3, column 12: found unexpected end of stream in file:/r.camel.yaml, "
                        + "line 6, column 1")
                .doesNotContain("\n");
    }

    @Test
    void aTakenPortSaysWhichSettingsToChange() {
        UncheckedIOException e = new UncheckedIOException("Cannot listen on 127.0.0.1:9876 (dockwatch.http.host, "
                + "dockwatch.http.port): Address already in use", new BindException("Address already in use"));
        assertThat(StartupFailure.describe(e)).isEqualTo("cannot start: Cannot listen on 127.0.0.1:9876 "
                + "(dockwatch.http.host, dockwatch.http.port): Address already in use");
    }

    @Test
    void aVeryLongMessageIsCut() {
        assertThat(StartupFailure.describe(new IllegalStateException("x".repeat(5000))))
                .hasSize(StartupFailure.MAX_LENGTH).endsWith("...");
    }
}
