package jpmacct.bench;

import java.nio.file.Path;

import jpmacct.core.capture.SavefileReader;

/** Prints the number of frames in a savefile (pcap or pcapng). */
public final class CountPackets {
    private CountPackets() {
    }

    public static void main(String[] args) throws Exception {
        long n = 0;
        try (SavefileReader r = new SavefileReader(Path.of(args[0]))) {
            int got;
            while ((got = r.poll((b, off, caplen, wire, ts, lt, ifx) -> { }, 4096)) >= 0) {
                n += got;
            }
        }
        System.out.println(n);
    }
}
