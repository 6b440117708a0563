package io.dockwatch.source;

import io.dockwatch.observe.Observe;
import io.dockwatch.settings.Settings;
import io.dockwatch.wiring.ServiceBeans;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * What every source component is given: the settings and the metrics every record is counted in.
 * Each source declares the other shared services it uses as options of its own (so its metadata
 * lists those and no others), each settable (Camel property binding, {@code #bean} references) and
 * otherwise the one bean of its type in the Camel registry, resolved once when the component
 * starts. Endpoints and consumers get them from here, never from the registry themselves.
 */
public abstract class DockerSourceComponent extends DefaultComponent {
    @Metadata(label = "advanced", autowired = true, description = "The collector's settings (bean dockwatchSettings)")
    private Settings settings;
    @Metadata(label = "advanced", autowired = true, description = "Metrics, health and status page (bean observe)")
    private Observe observe;
    private SourceServices services;

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        settings = resolve(settings, Settings.class);
        observe = resolve(observe, Observe.class);
        services = withServices(new SourceServices(getDefaultName(), settings, observe));
    }

    /** The given service, else the registry's one bean of its type (see {@link ServiceBeans}). */
    protected <T> T resolve(T given, Class<T> type) {
        return ServiceBeans.resolve(getCamelContext(), given, type);
    }

    /** Adds the shared services this source uses, each {@link #resolve resolved}, to what every source has. */
    protected abstract SourceServices withServices(SourceServices common);

    /** What this component's endpoints and consumers use; set once the component is initialised. */
    protected SourceServices services() {
        return services;
    }

    public Settings getSettings() {
        return settings;
    }

    public void setSettings(Settings settings) {
        this.settings = settings;
    }

    public Observe getObserve() {
        return observe;
    }

    public void setObserve(Observe observe) {
        this.observe = observe;
    }
}
