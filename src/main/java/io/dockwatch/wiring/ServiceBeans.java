package io.dockwatch.wiring;

import java.util.ServiceLoader;
import org.apache.camel.CamelContext;

/**
 * How a component gets a shared service it was not given: the one bean of that type in the
 * Camel registry, as Camel's own components find a {@code DataSource} or a client they were not
 * configured with. Called from a component's {@code doInit}, once.
 *
 * <p>dockwatch's main binds every service before Camel starts. A Camel runtime that knows nothing
 * of dockwatch (the thin jar in a host runtime) has none bound when the first dockwatch component
 * starts: then the {@link Assembler} the jar lists in {@code META-INF/services} makes them from
 * the context's {@code dockwatch.*} properties and binds them, once per context.
 */
public final class ServiceBeans {
    /** Not the context itself: Camel may hold its own lock on it while a component starts. */
    private static final Object LOCK = new Object();

    private ServiceBeans() {
    }

    /** Makes the shared services from a context's properties and binds them in its registry. */
    public interface Assembler {
        void bindServices(CamelContext camel);
    }

    /** The bean given to the component, else the registry's one bean of this type (bound now if none is). */
    public static <T> T resolve(CamelContext camel, T given, Class<T> type) {
        if (given != null) {
            return given;
        }
        T bean = camel.getRegistry().findSingleByType(type);
        if (bean != null) {
            return bean;
        }
        synchronized (LOCK) {
            bean = camel.getRegistry().findSingleByType(type);
            if (bean == null) {
                for (Assembler a : ServiceLoader.load(Assembler.class, ServiceBeans.class.getClassLoader())) {
                    a.bindServices(camel);
                }
                bean = camel.getRegistry().findSingleByType(type);
            }
        }
        if (bean == null) {
            throw new IllegalStateException("No " + type.getSimpleName() + " in the Camel registry, or more than one: bind"
                    + " exactly one (dockwatch's main and its assembler bind them from the dockwatch.* settings)");
        }
        return bean;
    }
}
