package jpmacct.client;

/** pmacct: the memory-table client. Not implemented in this build yet. */
public final class PmacctClient {
    private PmacctClient() {
    }

    public static void main(String[] args) {
        System.err.println("pmacct: the memory plugin client is not implemented in this build yet");
        System.exit(1);
    }
}
