package jpmacct.core.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jpmacct.core.primitive.Aggregate;
import jpmacct.core.primitive.CustomPrimitive;
import jpmacct.core.primitive.Primitive;

/**
 * Where each {@link KeyField} of one plugin's aggregate lives in its key: a fixed number of 64-bit words, computed
 * once from {@code aggregate}. Full-width fields take a word each; small ones are packed. Hashing and equality then
 * work on a few longs.
 */
public final class KeyLayout {
    private final Aggregate aggregate;
    private final KeyField[] fields;
    private final int[] word;
    private final int[] shift;
    private final long[] mask;
    private final int words;
    private final int[] slotOf = new int[KeyField.values().length];
    /** Where the plugin's k-th custom primitive starts in a key: two words, or one for an interned value's id. */
    private final int[] customAt;
    private final ByteDictionary customValues = new ByteDictionary();
    private final ByteDictionary srv6Lists = new ByteDictionary();

    public KeyLayout(Aggregate aggregate, boolean history) {
        this.aggregate = aggregate;
        Arrays.fill(slotOf, -1);
        Set<KeyField> needed = EnumSet.noneOf(KeyField.class);
        for (Primitive p : aggregate.primitives()) {
            needed.addAll(fieldsOf(p));
        }
        if (history) {
            needed.add(KeyField.BIN);
        }
        List<KeyField> wide = new ArrayList<>();
        List<KeyField> narrow = new ArrayList<>();
        for (KeyField f : needed) {
            (f.bits() == 64 ? wide : narrow).add(f);
        }
        narrow.sort((a, b) -> Integer.compare(b.bits(), a.bits()));
        int n = needed.size();
        fields = new KeyField[n];
        word = new int[n];
        shift = new int[n];
        mask = new long[n];
        int w = 0;
        int i = 0;
        for (KeyField f : wide) {
            fields[i] = f;
            word[i] = w++;
            shift[i] = 0;
            mask[i] = -1L;
            slotOf[f.ordinal()] = i;
            i++;
        }
        List<CustomPrimitive> custom = aggregate.custom();
        customAt = new int[custom.size()];
        for (int k = 0; k < custom.size(); k++) {
            customAt[k] = w;
            w += custom.get(k).inWords() ? 2 : 1;
        }
        List<Integer> freeBits = new ArrayList<>();
        int firstPacked = w;
        for (KeyField f : narrow) {
            int slot = -1;
            for (int s = 0; s < freeBits.size(); s++) {
                if (freeBits.get(s) >= f.bits()) {
                    slot = s;
                    break;
                }
            }
            if (slot < 0) {
                freeBits.add(64);
                slot = freeBits.size() - 1;
            }
            int used = 64 - freeBits.get(slot);
            fields[i] = f;
            word[i] = firstPacked + slot;
            shift[i] = used;
            mask[i] = (1L << f.bits()) - 1;
            freeBits.set(slot, freeBits.get(slot) - f.bits());
            slotOf[f.ordinal()] = i;
            i++;
        }
        // at least one word, so that an empty aggregate ("none") still has a single key
        this.words = Math.max(1, firstPacked + freeBits.size());
    }

    /** The key fields a primitive contributes; sum primitives use the source-side fields. */
    static Set<KeyField> fieldsOf(Primitive p) {
        switch (p) {
            case SRC_MAC: case SUM_MAC: return EnumSet.of(KeyField.SRC_MAC);
            case DST_MAC: return EnumSet.of(KeyField.DST_MAC);
            case VLAN: return EnumSet.of(KeyField.VLAN);
            case COS: return EnumSet.of(KeyField.COS);
            case ETYPE: return EnumSet.of(KeyField.ETYPE);
            case SRC_HOST: case SUM_HOST: return EnumSet.of(KeyField.SRC_FAMILY, KeyField.SRC_HI, KeyField.SRC_LO);
            case DST_HOST: return EnumSet.of(KeyField.DST_FAMILY, KeyField.DST_HI, KeyField.DST_LO);
            case SRC_NET: case SUM_NET: return EnumSet.of(KeyField.SRC_NET_FAMILY, KeyField.SRC_NET_HI, KeyField.SRC_NET_LO);
            case DST_NET: return EnumSet.of(KeyField.DST_NET_FAMILY, KeyField.DST_NET_HI, KeyField.DST_NET_LO);
            case SRC_MASK: return EnumSet.of(KeyField.SRC_MASK);
            case DST_MASK: return EnumSet.of(KeyField.DST_MASK);
            case PROTO: return EnumSet.of(KeyField.PROTO);
            case TOS: return EnumSet.of(KeyField.TOS);
            case SRC_PORT: case SUM_PORT: return EnumSet.of(KeyField.SRC_PORT);
            case DST_PORT: return EnumSet.of(KeyField.DST_PORT);
            case SRC_AS: case SUM_AS: return EnumSet.of(KeyField.SRC_AS);
            case DST_AS: return EnumSet.of(KeyField.DST_AS);
            case PEER_SRC_IP: return EnumSet.of(KeyField.PEER_SRC_FAMILY, KeyField.PEER_SRC_HI, KeyField.PEER_SRC_LO);
            case PEER_DST_IP: return EnumSet.of(KeyField.PEER_DST_FAMILY, KeyField.PEER_DST_HI, KeyField.PEER_DST_LO);
            case CLASS: return EnumSet.of(KeyField.CLASS);
            case IN_IFACE: return EnumSet.of(KeyField.IN_IFACE);
            case OUT_IFACE: return EnumSet.of(KeyField.OUT_IFACE);
            case SAMPLING_RATE: return EnumSet.of(KeyField.SAMPLING_RATE);
            case TAG: return EnumSet.of(KeyField.TAG);
            case TAG2: return EnumSet.of(KeyField.TAG2);
            case LABEL: return EnumSet.of(KeyField.LABEL);
            case EXPORT_PROTO_SEQNO: return EnumSet.of(KeyField.EXPORT_SEQNO);
            case EXPORT_PROTO_VERSION: return EnumSet.of(KeyField.EXPORT_VERSION);
            case EXPORT_PROTO_SYSID: return EnumSet.of(KeyField.EXPORT_SYSID);
            case TIMESTAMP_START: return EnumSet.of(KeyField.TIME_START);
            case TIMESTAMP_END: return EnumSet.of(KeyField.TIME_END);
            case TIMESTAMP_ARRIVAL: return EnumSet.of(KeyField.TIME_ARRIVAL);
            case MPLS_VPN_RD: return EnumSet.of(KeyField.MPLS_VPN_RD, KeyField.MPLS_VPN_RD_ORIGIN);
            case MPLS_LABEL_TOP: return EnumSet.of(KeyField.MPLS_LABEL_TOP);
            case MPLS_LABEL_BOTTOM: return EnumSet.of(KeyField.MPLS_LABEL_BOTTOM);
            case MPLS_STACK_DEPTH: return EnumSet.of(KeyField.MPLS_STACK_DEPTH);
            case IN_VLAN: return EnumSet.of(KeyField.IN_VLAN);
            case OUT_VLAN: return EnumSet.of(KeyField.OUT_VLAN);
            case IN_CVLAN: return EnumSet.of(KeyField.IN_CVLAN);
            case OUT_CVLAN: return EnumSet.of(KeyField.OUT_CVLAN);
            case FLOW_LABEL: return EnumSet.of(KeyField.FLOW_LABEL);
            case FWD_STATUS: return EnumSet.of(KeyField.FWD_STATUS);
            case NAT_EVENT: return EnumSet.of(KeyField.NAT_EVENT);
            case FW_EVENT: return EnumSet.of(KeyField.FW_EVENT);
            case POST_NAT_SRC_HOST:
                return EnumSet.of(KeyField.POST_NAT_SRC_FAMILY, KeyField.POST_NAT_SRC_HI, KeyField.POST_NAT_SRC_LO);
            case POST_NAT_DST_HOST:
                return EnumSet.of(KeyField.POST_NAT_DST_FAMILY, KeyField.POST_NAT_DST_HI, KeyField.POST_NAT_DST_LO);
            case POST_NAT_SRC_PORT: return EnumSet.of(KeyField.POST_NAT_SRC_PORT);
            case POST_NAT_DST_PORT: return EnumSet.of(KeyField.POST_NAT_DST_PORT);
            case MPLS_LABEL_STACK:
                return EnumSet.of(KeyField.MPLS_STACK_LEN, KeyField.MPLS_STACK_0, KeyField.MPLS_STACK_1,
                        KeyField.MPLS_STACK_2, KeyField.MPLS_STACK_3);
            case TUNNEL_SRC_MAC: return EnumSet.of(KeyField.TUNNEL_SRC_MAC);
            case TUNNEL_DST_MAC: return EnumSet.of(KeyField.TUNNEL_DST_MAC);
            case TUNNEL_SRC_HOST:
                return EnumSet.of(KeyField.TUNNEL_SRC_FAMILY, KeyField.TUNNEL_SRC_HI, KeyField.TUNNEL_SRC_LO);
            case TUNNEL_DST_HOST:
                return EnumSet.of(KeyField.TUNNEL_DST_FAMILY, KeyField.TUNNEL_DST_HI, KeyField.TUNNEL_DST_LO);
            case TUNNEL_PROTO: return EnumSet.of(KeyField.TUNNEL_PROTO);
            case TUNNEL_TOS: return EnumSet.of(KeyField.TUNNEL_TOS);
            case TUNNEL_SRC_PORT: return EnumSet.of(KeyField.TUNNEL_SRC_PORT);
            case TUNNEL_DST_PORT: return EnumSet.of(KeyField.TUNNEL_DST_PORT);
            case TUNNEL_FLOW_LABEL: return EnumSet.of(KeyField.TUNNEL_FLOW_LABEL);
            case VXLAN: return EnumSet.of(KeyField.VXLAN);
            case TIMESTAMP_EXPORT: return EnumSet.of(KeyField.TIME_EXPORT);
            case VRF_NAME: return EnumSet.of(KeyField.VRF_NAME);
            case INGRESS_VRF_NAME: return EnumSet.of(KeyField.INGRESS_VRF_NAME);
            case EGRESS_VRF_NAME: return EnumSet.of(KeyField.EGRESS_VRF_NAME);
            case IN_IFACE_NAME: return EnumSet.of(KeyField.IN_IFACE_NAME);
            case OUT_IFACE_NAME: return EnumSet.of(KeyField.OUT_IFACE_NAME);
            case NVGRE: return EnumSet.of(KeyField.NVGRE);
            case MPLS_PW_ID: return EnumSet.of(KeyField.MPLS_PW_ID);
            case PATH_DELAY_AVG_USEC: return EnumSet.of(KeyField.PATH_DELAY_AVG);
            case PATH_DELAY_MIN_USEC: return EnumSet.of(KeyField.PATH_DELAY_MIN);
            case PATH_DELAY_MAX_USEC: return EnumSet.of(KeyField.PATH_DELAY_MAX);
            case SAMPLING_DIRECTION: return EnumSet.of(KeyField.SAMPLING_DIRECTION);
            case SRV6_SEG_IPV6_LIST: return EnumSet.of(KeyField.SRV6_LIST);
            // tcpflags and tunnel_tcpflags (OR-ed into the entry), flows, none: not part of the key
            default: return EnumSet.noneOf(KeyField.class);
        }
    }

    public Aggregate aggregate() {
        return aggregate;
    }

    /** Number of 64-bit words in a key. */
    public int words() {
        return words;
    }

    /** Number of fields, for iterating with {@link #field(int)}. */
    public int fieldCount() {
        return fields.length;
    }

    public KeyField field(int i) {
        return fields[i];
    }

    public boolean has(KeyField f) {
        return slotOf[f.ordinal()] >= 0;
    }

    /** ORs field {@code i}'s value into a key being built at {@code off} (the key words start zeroed). */
    public void put(long[] key, int off, int i, long value) {
        key[off + word[i]] |= (value & mask[i]) << shift[i];
    }

    /** Key word {@code i} (0 or 1) of the plugin's k-th custom primitive, in a key stored at {@code base}. */
    public long custom(long[] words, int base, int k, int i) {
        return words[base + customAt[k] + i];
    }

    /** Sets key word {@code i} of the k-th custom primitive in a key being built at {@code off}. */
    public void putCustom(long[] key, int off, int k, int i, long value) {
        key[off + customAt[k] + i] = value;
    }

    /** Whether keys hold ids of the plugin's dictionary of labels (labels, VRF and interface names). */
    public boolean usesLabels() {
        return has(KeyField.LABEL) || has(KeyField.VRF_NAME) || has(KeyField.INGRESS_VRF_NAME)
                || has(KeyField.EGRESS_VRF_NAME) || has(KeyField.IN_IFACE_NAME) || has(KeyField.OUT_IFACE_NAME);
    }

    /** The values of this layout's interned custom primitives (those not {@link CustomPrimitive#inWords()}). */
    public ByteDictionary customValues() {
        return customValues;
    }

    /** The SRv6 segment lists keys of this layout name ({@link KeyField#SRV6_LIST}), as bytes. */
    public ByteDictionary srv6Lists() {
        return srv6Lists;
    }

    /** Reads a field from a key stored at {@code base} in a word array; 0 when the layout lacks the field. */
    public long get(long[] words, int base, KeyField f) {
        int i = slotOf[f.ordinal()];
        if (i < 0) {
            return 0;
        }
        return (words[base + word[i]] >>> shift[i]) & mask[i];
    }
}
