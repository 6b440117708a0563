package io.dockwatch.settings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.stream.Stream;

/**
 * The Camel components on the class path, read from the descriptors Camel resolves a scheme with
 * ({@code META-INF/services/org/apache/camel/component/<scheme>}, a {@code class=} line each):
 * the build plugin writes one for every {@code @Component}, a hand-made component ships its own.
 * Read without a Camel context, because the settings are parsed before Camel starts.
 */
final class ComponentDescriptors {
    private static final String FOLDER = "META-INF/services/org/apache/camel/component/";

    private ComponentDescriptors() {
    }

    /**
     * The component class names of every descriptor in a class path folder or jar. Camel's own
     * components are left out: none of them carries dockwatch's annotations, and loading them all
     * would only cost time. (A jar made without folder entries is not seen; Maven's and the shade
     * plugin's jars have them.)
     */
    static List<String> componentClasses(ClassLoader loader) {
        TreeSet<String> classes = new TreeSet<>();
        try {
            Enumeration<URL> folders = loader.getResources(FOLDER);
            while (folders.hasMoreElements()) {
                for (String descriptor : descriptors(folders.nextElement())) {
                    String type = componentClass(loader, FOLDER + descriptor);
                    if (type != null && !type.startsWith("org.apache.camel.")) {
                        classes.add(type);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the Camel components on the class path", e);
        }
        return new ArrayList<>(classes);
    }

    /** The annotation on a class, read without initialising the class; null when absent or not loadable. */
    static <A extends Annotation> A annotation(String className, ClassLoader loader, Class<A> type) {
        try {
            return Class.forName(className, false, loader).getAnnotation(type);
        } catch (ClassNotFoundException | LinkageError e) {
            return null; // a descriptor whose class is not all there: Camel reports it if a route uses the scheme
        }
    }

    private static List<String> descriptors(URL folder) throws IOException {
        List<String> names = new ArrayList<>();
        if ("file".equals(folder.getProtocol())) {
            try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                files.filter(Files::isRegularFile).forEach(f -> names.add(f.getFileName().toString()));
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e);
            }
        } else if (folder.openConnection() instanceof JarURLConnection jar) {
            jar.setUseCaches(false);
            try (var file = jar.getJarFile()) {
                for (Enumeration<JarEntry> e = file.entries(); e.hasMoreElements();) {
                    String name = e.nextElement().getName();
                    if (name.startsWith(FOLDER) && name.length() > FOLDER.length() && name.indexOf('/', FOLDER.length()) < 0) {
                        names.add(name.substring(FOLDER.length()));
                    }
                }
            }
        }
        return names;
    }

    private static String componentClass(ClassLoader loader, String resource) throws IOException {
        URL url = loader.getResource(resource);
        if (url == null) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = url.openStream()) {
            p.load(in);
        }
        String type = p.getProperty("class");
        return type == null ? null : type.trim();
    }
}
