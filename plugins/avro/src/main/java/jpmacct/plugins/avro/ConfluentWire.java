package jpmacct.plugins.avro;

/**
 * Confluent's wire format for a value whose schema is in a schema registry: the magic byte 0, the schema id as four
 * bytes big-endian, then the Avro binary datum (what libserdes' serdes_schema_serialize_avro writes for pmacct).
 */
public final class ConfluentWire {
    private ConfluentWire() {
    }

    public static final byte MAGIC = 0;
    public static final int HEADER_LENGTH = 5;

    /** A new message: the header for {@code schemaId}, then {@code length} bytes of the datum from {@code offset}. */
    public static byte[] frame(int schemaId, byte[] datum, int offset, int length) {
        byte[] m = new byte[HEADER_LENGTH + length];
        writeHeader(schemaId, m);
        System.arraycopy(datum, offset, m, HEADER_LENGTH, length);
        return m;
    }

    /** The header alone, for writers that put the datum after it themselves. */
    public static byte[] header(int schemaId) {
        byte[] h = new byte[HEADER_LENGTH];
        writeHeader(schemaId, h);
        return h;
    }

    private static void writeHeader(int schemaId, byte[] into) {
        into[0] = MAGIC;
        into[1] = (byte) (schemaId >>> 24);
        into[2] = (byte) (schemaId >>> 16);
        into[3] = (byte) (schemaId >>> 8);
        into[4] = (byte) schemaId;
    }

    /** The schema id of a framed message. */
    public static int schemaId(byte[] message) {
        if (message.length < HEADER_LENGTH || message[0] != MAGIC) {
            throw new IllegalArgumentException("not a Confluent-framed message");
        }
        return ((message[1] & 0xFF) << 24) | ((message[2] & 0xFF) << 16) | ((message[3] & 0xFF) << 8)
                | (message[4] & 0xFF);
    }
}
