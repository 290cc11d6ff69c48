package jpmacct.sfacctd.decode;

import java.nio.ByteBuffer;

import jpmacct.core.decode.Fault;
import jpmacct.core.record.Addr;

/**
 * An address as sFlow writes it (type 1 and 4 bytes of IPv4, type 2 and 16 bytes of IPv6, type 0 and nothing),
 * read in place into a reused holder: the agent of a datagram header, a next hop of an extended record.
 */
final class Address {
    int family;
    long hi;
    long lo;

    void clear() {
        family = Addr.NONE;
        hi = 0;
        lo = 0;
    }

    /** Reads the address at {@code p}; the offset after it, or -1 (the fault noted). */
    int read(ByteBuffer b, int p, int end, Fault fault) {
        if (end - p < 4) {
            return SflowFault.ADDRESS_CUT.note(fault);
        }
        long type = Xdr.u32(b, p);
        if (type == 1) {
            if (end - p < 8) {
                return SflowFault.IPV4_ADDRESS_CUT.note(fault);
            }
            family = Addr.V4;
            hi = 0;
            lo = Xdr.u32(b, p + 4);
            return p + 8;
        }
        if (type == 2) {
            if (end - p < 20) {
                return SflowFault.IPV6_ADDRESS_CUT.note(fault);
            }
            family = Addr.V6;
            hi = b.getLong(p + 4);
            lo = b.getLong(p + 12);
            return p + 20;
        }
        if (type == 0) {
            clear();
            return p + 4;
        }
        return SflowFault.ADDRESS_TYPE.note(fault, type);
    }
}
