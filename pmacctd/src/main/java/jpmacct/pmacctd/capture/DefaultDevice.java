package jpmacct.pmacctd.capture;

import jpmacct.filter.bpf.PcapLibrary;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The device to capture on when none is configured, chosen as libpcap's pcap_lookupdev did (that call is deprecated,
 * and pcap4j's binding of it returns a garbled name): from pcap_findalldevs' list, best first, the first device that
 * is up and not a loopback.
 */
public final class DefaultDevice {
    /** One entry of pcap_findalldevs' list: its name and PCAP_IF_ flags. */
    record Device(String name, int flags) {
    }

    private DefaultDevice() {
    }

    /** The default device's name; fails with libpcap's message, or when no device suits. */
    public static String find() throws IOException {
        PcapLibrary.ensureLoaded();
        return choose(list());
    }

    /**
     * The first device that is up and not a loopback; failing that, libpcap's own answer: the head of the list
     * unless it is a loopback.
     */
    static String choose(List<Device> devices) throws IOException {
        for (Device d : devices) {
            if ((d.flags() & PcapNative.IF_UP) != 0 && (d.flags() & PcapNative.IF_LOOPBACK) == 0) {
                return d.name();
            }
        }
        if (!devices.isEmpty() && (devices.get(0).flags() & PcapNative.IF_LOOPBACK) == 0) {
            return devices.get(0).name();
        }
        throw new IOException("no suitable device found");
    }

    /** pcap_findalldevs' list, in its order (libpcap sorts the devices it would rather capture on first). */
    static List<Device> list() throws IOException {
        byte[] err = new byte[PcapNative.ERRBUF_SIZE];
        Memory head = new Memory(Native.POINTER_SIZE);
        if (PcapNative.pcap_findalldevs(head, err) < 0) {
            throw new IOException(Native.toString(err));
        }
        Pointer first = head.getPointer(0);
        List<Device> out = new ArrayList<>();
        try {
            // struct pcap_if { struct pcap_if *next; char *name; char *description; struct pcap_addr *addresses;
            //                  bpf_u_int32 flags; }
            for (Pointer d = first; d != null; d = d.getPointer(0)) {
                out.add(new Device(d.getPointer(Native.POINTER_SIZE).getString(0),
                        d.getInt(4L * Native.POINTER_SIZE)));
            }
        } finally {
            if (first != null) {
                PcapNative.pcap_freealldevs(first);
            }
        }
        return out;
    }
}
