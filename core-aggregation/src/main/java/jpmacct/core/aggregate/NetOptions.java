package jpmacct.core.aggregate;

import java.util.function.Supplier;

import jpmacct.core.net.NetworksTable;

/**
 * How a plugin derives networks, masks, ASNs and next hops ({@code networks_file}, {@code networks_file_filter},
 * {@code networks_mask}, {@code networks_no_mask_if_zero}).
 *
 * @param networks    the current networks table (re-read on reload), or null without {@code networks_file}
 * @param filter      {@code networks_file_filter}: zero host addresses no network covers
 * @param staticMask  {@code networks_mask}, or 0
 * @param noMaskIfZero {@code networks_no_mask_if_zero}: a mask of 0 keeps the whole address as network
 */
public record NetOptions(Supplier<NetworksTable> networks, boolean filter, int staticMask, boolean noMaskIfZero) {
    public static final NetOptions NONE = new NetOptions(null, false, 0, false);
}
