package jpmacct.nfacctd.exporter;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import jpmacct.nfacctd.template.IntMap;

/**
 * What an exporter's options data maps for its flows, as pmacct 1.8 keeps it per domain (and per exporter for
 * options scoped to the whole system): VRF ids to the route distinguishers of their ingress and egress sides,
 * VRF ids to names, interface indexes to names. A later record for an id replaces the earlier one (routers
 * reassign ids). The exporter bounds the entries of all its tables together ({@link Exporter#learn}). Used under
 * the exporter's lock; lookups allocate nothing.
 */
public final class OptionTables {
    /** pmacct's longest VRF and interface names: 32 bytes with the terminating NUL. */
    public static final int MAX_NAME_BYTES = 31;

    /** A name as it arrived and as it prints. */
    private record Name(byte[] raw, String text) {
    }

    private final Exporter exporter;
    /** VRF id to RD, a one-element array so an update boxes nothing. */
    private final IntMap<long[]> ingressRds = new IntMap<>();
    private final IntMap<long[]> egressRds = new IntMap<>();
    private final IntMap<Name> vrfNames = new IntMap<>();
    private final IntMap<Name> ifaceNames = new IntMap<>();

    OptionTables(Exporter exporter) {
        this.exporter = exporter;
    }

    /** The RD of a VRF's ingress side: a one-element array, or null when options data gave none. */
    public long[] ingressRd(long vrf) {
        return ingressRds.get((int) vrf);
    }

    public long[] egressRd(long vrf) {
        return egressRds.get((int) vrf);
    }

    /** The name of a VRF, or null. */
    public String vrfName(long vrf) {
        Name n = vrfNames.get((int) vrf);
        return n == null ? null : n.text;
    }

    /** The name of an interface, or null. */
    public String ifaceName(long ifIndex) {
        Name n = ifaceNames.get((int) ifIndex);
        return n == null ? null : n.text;
    }

    /** Whether any interface name is known (records skip the lookups otherwise). */
    public boolean hasIfaceNames() {
        return ifaceNames.size() > 0;
    }

    /** Whether any VRF name or RD is known. */
    public boolean hasVrfs() {
        return vrfNames.size() > 0 || ingressRds.size() > 0 || egressRds.size() > 0;
    }

    /** Learns the RD of a VRF's ingress side; false when the exporter's tables are full. */
    public boolean ingressRd(long vrf, long rd) {
        return putRd(ingressRds, (int) vrf, rd);
    }

    public boolean egressRd(long vrf, long rd) {
        return putRd(egressRds, (int) vrf, rd);
    }

    /** Learns a VRF's name from {@code len} bytes at {@code off} (up to a NUL, at most 31); false when full. */
    public boolean vrfName(long vrf, byte[] b, int off, int len) {
        return putName(vrfNames, (int) vrf, b, off, len);
    }

    public boolean ifaceName(long ifIndex, byte[] b, int off, int len) {
        return putName(ifaceNames, (int) ifIndex, b, off, len);
    }

    private boolean putRd(IntMap<long[]> table, int key, long rd) {
        long[] known = table.get(key);
        if (known != null) {
            known[0] = rd;
            return true;
        }
        if (!exporter.learn()) {
            return false;
        }
        table.put(key, new long[] {rd});
        return true;
    }

    private boolean putName(IntMap<Name> table, int key, byte[] b, int off, int len) {
        int n = 0;
        while (n < Math.min(len, MAX_NAME_BYTES) && b[off + n] != 0) {
            n++;
        }
        Name known = table.get(key);
        if (known != null && Arrays.equals(known.raw, 0, known.raw.length, b, off, off + n)) {
            return true; // the periodic resend of what is known: nothing to build
        }
        if (known == null && !exporter.learn()) {
            return false;
        }
        byte[] raw = Arrays.copyOfRange(b, off, off + n);
        table.put(key, new Name(raw, new String(raw, StandardCharsets.UTF_8)));
        return true;
    }

    /** Entries held, over the four tables. */
    int size() {
        return ingressRds.size() + egressRds.size() + vrfNames.size() + ifaceNames.size();
    }
}
