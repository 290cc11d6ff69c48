package jpmacct.plugins.sql.pmacctd;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import jpmacct.core.runtime.TcpProxy;

/**
 * A PostgreSQL server with TLS, for sql_conn_ca_file: a relay on 127.0.0.1 that answers the client's SSLRequest,
 * ends TLS with a self-signed certificate made for the test, and passes the plain protocol to the real server
 * (which has TLS off on this machine).
 */
final class PgTlsProxy implements AutoCloseable {
    private static final int SSL_REQUEST = 80877103;
    private static final int GSS_REQUEST = 80877104;

    private final ServerSocket server;
    private final SSLContext tls;

    /** A self-signed certificate for 127.0.0.1 in {@code dir}: {@code name}.p12 and its PEM {@code name}.pem. */
    static Path certificate(Path dir, String name) throws Exception {
        Path store = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        return pem;
    }

    private static void keytool(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
    }

    /** Serves TLS with the key of {@code name}.p12 (from {@link #certificate}). */
    PgTlsProxy(Path dir, String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(name + ".p12"))) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread t = new Thread(this::acceptLoop, "tls proxy accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "tls proxy");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try {
            DataInputStream in = new DataInputStream(client.getInputStream());
            OutputStream out = client.getOutputStream();
            while (true) {
                int length = in.readInt();
                int code = in.readInt();
                if (length != 8 || code != GSS_REQUEST && code != SSL_REQUEST) {
                    client.close(); // a client that does not ask for TLS gets nothing here
                    return;
                }
                if (code == GSS_REQUEST) {
                    out.write('N');
                    continue;
                }
                out.write('S');
                out.flush();
                break;
            }
            SSLSocket secured = (SSLSocket) tls.getSocketFactory().createSocket(client, "127.0.0.1", client.getPort(), true);
            secured.setUseClientMode(false);
            secured.startHandshake();
            Socket upstream = new Socket(InetAddress.getLoopbackAddress(), 5432);
            TcpProxy.pump(secured, upstream);
            TcpProxy.pump(upstream, secured);
        } catch (IOException e) {
            TcpProxy.closeQuietly(client); // e.g. the client refused the certificate
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
