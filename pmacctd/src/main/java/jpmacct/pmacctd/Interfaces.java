package jpmacct.pmacctd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.net.MapLoadLog;
import jpmacct.pmacctd.capture.DefaultDevice;
import jpmacct.pmacctd.capture.InterfacesMap;
import jpmacct.pmacctd.capture.LiveCapture;

/** The interfaces pmacctd captures on: pcap_interfaces_map, pcap_interface, or the default device. */
final class Interfaces {
    private static final Logger LOG = LoggerFactory.getLogger(Interfaces.class);

    private Interfaces() {
    }

    static List<LiveCapture.Spec> specs(DaemonConfig config) throws ConfigException {
        List<LiveCapture.Spec> out = new ArrayList<>();
        String mode = config.get(PmacctdKeys.PCAP_IFINDEX);
        String dirText = config.get(PmacctdKeys.PCAP_DIRECTION);
        LiveCapture.Direction globalDir = dirText == null ? LiveCapture.Direction.BOTH
                : dirText.equals("in") ? LiveCapture.Direction.IN : LiveCapture.Direction.OUT;
        String mapFile = config.get(PmacctdKeys.PCAP_INTERFACES_MAP);
        if (mapFile != null) {
            MapLoadLog.loading(Path.of(mapFile));
            List<InterfacesMap.Entry> entries = InterfacesMap.load(Path.of(mapFile));
            MapLoadLog.loaded(Path.of(mapFile), entries.size());
            for (InterfacesMap.Entry e : entries) {
                long index = mode == null || mode.equals("map") ? e.ifindex() : IfIndex.of(e.ifname(), mode);
                LiveCapture.Direction dir = e.direction() != LiveCapture.Direction.BOTH ? e.direction() : globalDir;
                out.add(new LiveCapture.Spec(e.ifname(), index, dir));
            }
            return out;
        }
        String iface = config.get(PmacctdKeys.PCAP_INTERFACE);
        if (iface == null) {
            try {
                iface = DefaultDevice.find();
            } catch (Exception | LinkageError e) {
                throw new ConfigException("no pcap_interface (-i) or pcap_savefile (-I) given, and libpcap found "
                        + "no default device: " + e.getMessage());
            }
            LOG.info("no pcap_interface given; capturing on {}", iface);
        }
        if ("map".equals(mode)) {
            throw config.error(PmacctdKeys.PCAP_IFINDEX, "'map' needs a pcap_interfaces_map");
        }
        out.add(new LiveCapture.Spec(iface, IfIndex.of(iface, mode), globalDir));
        return out;
    }
}
