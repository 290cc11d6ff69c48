package jpmacct.nfacctd;

/** nfacctd: the NetFlow/IPFIX collector. Not implemented in this build yet. */
public final class Nfacctd {
    private Nfacctd() {
    }

    public static void main(String[] args) {
        System.err.println("nfacctd: the NetFlow/IPFIX collector is not implemented in this build yet");
        System.exit(1);
    }
}
