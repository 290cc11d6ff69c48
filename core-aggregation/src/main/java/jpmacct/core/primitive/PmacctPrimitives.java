package jpmacct.core.primitive;

import java.util.Set;

/**
 * Names of pmacct 1.7.7 and 1.8 primitives this build lacks, so that one is refused as "not supported yet", not as
 * a typo.
 */
final class PmacctPrimitives {
    private PmacctPrimitives() {
    }

    static final Set<String> NAMES = Set.of(
            "as_path", "std_comm", "ext_comm", "lrg_comm", "local_pref", "med", "src_as_path", "src_std_comm",
            "src_ext_comm", "src_lrg_comm", "src_local_pref", "src_med", "peer_src_as", "peer_dst_as",
            "src_host_country", "dst_host_country", "src_host_pocode", "dst_host_pocode", "src_host_coords",
            "dst_host_coords", "src_roa", "dst_roa",
            // pmacct 1.8: nDPI classification of IPFIX's dataLinkFrameSection (this build has no classifier)
            "class_frame");
}
