package io.dockwatch.runtime;

import java.util.concurrent.CountDownLatch;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

/**
 * A Camel runtime that knows nothing of dockwatch's main: a plain {@link DefaultCamelContext}
 * that reads {@code application.properties} and the shipped YAML routes from the classpath (the
 * jar), as any Camel host would. Run by CamelRuntimeIT in its own JVM with only the jar and this
 * class on the classpath; settings come as {@code -Ddockwatch.*} properties.
 */
public final class PlainCamelRuntime {
    static final String STARTED = "plain camel runtime started";

    private PlainCamelRuntime() {
    }

    public static void main(String[] args) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setLocation("classpath:application.properties");
        for (String route : args) {
            Resource r = PluginHelper.getResourceLoader(camel).resolveResource(route);
            PluginHelper.getRoutesLoader(camel).loadRoutes(r);
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            camel.stop();
            stop.countDown();
        }));
        camel.start();
        System.out.println(STARTED + " with " + camel.getRoutes().size() + " routes");
        stop.await();
    }
}
