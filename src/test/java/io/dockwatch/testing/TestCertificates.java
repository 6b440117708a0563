package io.dockwatch.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Certificates made with openssl for a TLS-protected test daemon, in Docker's own layout: a CA,
 * a server certificate for 127.0.0.1 and localhost, and client folders holding {@code ca.pem},
 * {@code cert.pem} and {@code key.pem} (what {@code cert_path} / {@code DOCKER_CERT_PATH} point at).
 */
public final class TestCertificates {
    private final Path dir;

    private TestCertificates(Path dir) {
        this.dir = dir;
    }

    public static TestCertificates create(Path dir) {
        TestCertificates c = new TestCertificates(dir);
        c.run("mkdir -p ca server"
                + " && " + selfSignedCa("ca", "dockwatch-test-ca")
                + " && openssl req -newkey rsa:2048 -nodes -keyout server/key.pem -out server/req.csr -subj /CN=127.0.0.1"
                + " && printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth\\n' > server/ext"
                + " && openssl x509 -req -in server/req.csr -CA ca/ca.pem -CAkey ca/key.pem -CAcreateserial"
                + " -out server/cert.pem -days 2 -extfile server/ext");
        return c;
    }

    private static String selfSignedCa(String folder, String name) {
        return "openssl req -x509 -newkey rsa:2048 -nodes -keyout " + folder + "/key.pem -out " + folder
                + "/ca.pem -days 2 -subj /CN=" + name;
    }

    public Path caPem() {
        return dir.resolve("ca/ca.pem");
    }

    public Path serverCert() {
        return dir.resolve("server/cert.pem");
    }

    public Path serverKey() {
        return dir.resolve("server/key.pem");
    }

    /** A client folder whose certificate the daemon accepts. */
    public Path client(String name) {
        return clientSignedBy(name, "ca");
    }

    /**
     * A client folder that trusts the daemon (its {@code ca.pem} is the right CA) but whose own
     * certificate comes from another CA: the daemon must refuse it.
     */
    public Path clientFromWrongCa(String name) {
        run("mkdir -p wrong-ca && [ -f wrong-ca/ca.pem ] || " + selfSignedCa("wrong-ca", "not-the-daemons-ca"));
        return clientSignedBy(name, "wrong-ca");
    }

    private Path clientSignedBy(String name, String caFolder) {
        run("mkdir -p " + name
                + " && openssl req -newkey rsa:2048 -nodes -keyout " + name + "/key.pem -out " + name + "/req.csr -subj /CN=" + name
                + " && printf 'extendedKeyUsage=clientAuth\\n' > " + name + "/ext"
                + " && openssl x509 -req -in " + name + "/req.csr -CA " + caFolder + "/ca.pem -CAkey " + caFolder
                + "/key.pem -CAcreateserial -out " + name + "/cert.pem -days 2 -extfile " + name + "/ext");
        try {
            Files.copy(caPem(), dir.resolve(name).resolve("ca.pem"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(name);
    }

    private void run(String script) {
        try {
            Files.createDirectories(dir);
            Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("openssl failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
