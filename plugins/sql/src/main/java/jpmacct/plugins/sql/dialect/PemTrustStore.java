package jpmacct.plugins.sql.dialect;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.HexFormat;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.KeyDef;
import jpmacct.core.config.PluginConfig;

/** The CA certificates of a PEM file in a PKCS12 trust store file of this process (removed at exit). */
final class PemTrustStore {
    private final Path file;
    private final String password;

    private PemTrustStore(Path file, String password) {
        this.file = file;
        this.password = password;
    }

    Path file() {
        return file;
    }

    String password() {
        return password;
    }

    static PemTrustStore of(PluginConfig cfg, KeyDef<String> key) throws ConfigException {
        String pem = cfg.get(key);
        try (InputStream in = Files.newInputStream(Path.of(pem))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw cfg.error(key, pem + " holds no certificate");
            }
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            String password = HexFormat.of().formatHex(secret);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int n = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca" + n++, c);
            }
            Path file = Files.createTempFile("jpmacct-ca-", ".p12",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new PemTrustStore(file, password);
        } catch (IOException | GeneralSecurityException e) {
            throw cfg.error(key, "cannot read the CA certificate " + pem + ": " + e.getMessage());
        }
    }
}
