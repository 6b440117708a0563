package io.dockwatch.source;

import io.dockwatch.docker.DaemonEvents;
import io.dockwatch.docker.DockerDaemon;
import io.dockwatch.docker.DockerDaemons;
import io.dockwatch.spool.Checkpoint;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.support.DefaultConsumer;

/**
 * What every Docker source shares: the services, handing a record to its route synchronously (so
 * when {@link #emit} returns, the record and its checkpoint are in the spool), and starting the
 * daemons' event streams only once every route is up, so no listener misses the first events.
 */
public abstract class DockerSourceConsumer extends DefaultConsumer {
    protected final SourceServices services;

    protected DockerSourceConsumer(Endpoint endpoint, Processor processor, SourceServices services) {
        super(endpoint, processor);
        this.services = services;
    }

    /** Sends a record (or list of records) through the route; true when the route took it. */
    protected boolean emit(DockerDaemon daemon, Object body, List<Checkpoint> checkpoints) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(body);
            if (daemon != null) {
                exchange.getMessage().setHeader(DockerDaemons.DAEMON_HEADER, daemon.key());
            }
            exchange.getMessage().setHeader(Checkpoint.HEADER, checkpoints);
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Route failed for a record from " + (daemon != null ? daemon : "this host"), exchange,
                        exchange.getException());
                return false;
            }
            services.observe().received(getRouteId(), body);
            return true;
        } catch (Exception e) {
            getExceptionHandler().handleException("Route failed for a record from " + (daemon != null ? daemon : "this host"), exchange, e);
            return false;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /** For host sources (host stats, host and daemon log files): no daemon, so no enrichment header. */
    protected boolean emit(Object body, List<Checkpoint> checkpoints) {
        return emit(null, body, checkpoints);
    }

    /** Starts the daemon's shared event stream once the Camel context has fully started. */
    protected void startEventsWhenReady(DaemonEvents events) throws Exception {
        CamelContext camel = getEndpoint().getCamelContext();
        if (camel.isStarted()) {
            events.start();
        } else {
            camel.addStartupListener((StartupListener) (context, alreadyStarted) -> events.start());
        }
    }
}
