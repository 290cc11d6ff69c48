package jpmacct.core.imt;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The memory plugin's socket protocol (docs/MEMORY-PROTOCOL.md). One request per connection:
 * <pre>
 * request:  "JPMI" u8 version  u32 length  UTF-8 text (the query, {@link ImtQuery#encode()})
 * response: "JPMI" u8 version  u8 status   body until the server closes the connection
 * </pre>
 * Status {@link #OK}: the body is the output to print as is. {@link #ERROR}: the body is a message.
 * {@link #BAD_VERSION}: the server speaks another version, given in the response header.
 */
public final class ImtProtocol {
    public static final byte[] MAGIC = {'J', 'P', 'M', 'I'};
    public static final int VERSION = 1;
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int BAD_VERSION = 2;
    /** Largest request accepted (long {@code file:} lists of -N/-M values fit). */
    public static final int MAX_REQUEST = 4 << 20;

    private ImtProtocol() {
    }

    /** A request or response header that is not this protocol's. */
    public static final class ProtocolException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int version;

        public ProtocolException(String message, int version) {
            super(message);
            this.version = version;
        }

        /** The peer's protocol version, or -1 when the peer does not speak this protocol at all. */
        public int version() {
            return version;
        }
    }

    public static byte[] request(String text) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(9 + body.length).put(MAGIC).put((byte) VERSION).putInt(body.length).put(body).array();
    }

    public static byte[] responseHeader(int status) {
        return new byte[] {MAGIC[0], MAGIC[1], MAGIC[2], MAGIC[3], (byte) VERSION, (byte) status};
    }

    /** Reads a request; throws {@link ProtocolException} for anything that is not one of this version. */
    public static String readRequest(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int version = readMagicAndVersion(d, "request");
        if (version != VERSION) {
            throw new ProtocolException("client speaks protocol version " + version + ", this daemon " + VERSION, version);
        }
        int len;
        try {
            len = d.readInt();
        } catch (EOFException e) {
            throw new EOFException("request cut short in its header");
        }
        if (len < 0 || len > MAX_REQUEST) {
            throw new ProtocolException("request length " + Integer.toUnsignedString(len) + " out of range", version);
        }
        byte[] body = d.readNBytes(len);
        if (body.length != len) {
            throw new EOFException("request cut short (" + body.length + " of " + len + " bytes)");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Reads a response header; returns the status. */
    public static int readResponseHeader(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int version = readMagicAndVersion(d, "response");
        int status = d.readUnsignedByte();
        if (version != VERSION || status == BAD_VERSION) {
            throw new ProtocolException("the daemon speaks protocol version " + version + ", this client " + VERSION, version);
        }
        return status;
    }

    private static int readMagicAndVersion(DataInputStream d, String what) throws IOException {
        byte[] magic = d.readNBytes(4);
        for (int i = 0; i < 4; i++) {
            if (i >= magic.length || magic[i] != MAGIC[i]) {
                throw new ProtocolException("not a jpmacct memory plugin " + what, -1);
            }
        }
        int v = d.read();
        if (v < 0) {
            throw new ProtocolException("not a jpmacct memory plugin " + what, -1);
        }
        return v;
    }

    /** Writes a whole response with a short body (errors, one-line answers). */
    public static void writeShort(OutputStream out, int status, String body) throws IOException {
        out.write(responseHeader(status));
        out.write(body.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
