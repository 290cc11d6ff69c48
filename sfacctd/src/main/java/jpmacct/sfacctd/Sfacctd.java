package jpmacct.sfacctd;

/** sfacctd: the sFlow collector. Not implemented in this build yet. */
public final class Sfacctd {
    private Sfacctd() {
    }

    public static void main(String[] args) {
        System.err.println("sfacctd: the sFlow collector is not implemented in this build yet");
        System.exit(1);
    }
}
