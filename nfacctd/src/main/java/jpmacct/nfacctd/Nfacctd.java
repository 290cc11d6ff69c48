package jpmacct.nfacctd;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import jpmacct.collector.CollectorDaemon;
import jpmacct.collector.ExporterCounters;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.filter.RecordSource;
import jpmacct.nfacctd.decode.DecoderSettings;
import jpmacct.nfacctd.decode.NetflowDecoder;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.FieldMapping;
import jpmacct.nfacctd.template.TemplatesFile;

/** nfacctd: collects NetFlow v1/v5/v7/v8/v9 and IPFIX over UDP (or from a savefile) and accounts the flows. */
public final class Nfacctd {
    static final String HEADER = "NetFlow Accounting Daemon, nfacctd";
    static final CollectorDaemon.Protocol PROTOCOL = new CollectorDaemon.Protocol("NetFlow/IPFIX", 2100, RecordSource.NETFLOW);
    public static final DaemonStartup.Spec SPEC = CollectorDaemon.spec(DaemonKind.NFACCTD, HEADER, NfacctdKeys.all(),
            "NetFlow: v1, v5, v7, v8 (aggregation schemes 1-14), v9, IPFIX");

    private Nfacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                DaemonAssembly.session(DaemonKind.NFACCTD, Nfacctd.class, args, Nfacctd::assemble));
    }

    private static DaemonAssembly.Assembled assemble(DaemonAssembly.Plugins daemon) throws ConfigException {
        DaemonConfig config = daemon.config();
        ExporterTable exporters = new ExporterTable(daemon.metrics());
        String templatesPath = config.get(NfacctdKeys.TEMPLATES_FILE);
        TemplatesFile templates = templatesPath == null ? null : new TemplatesFile(Path.of(templatesPath));
        FieldMapping mapping = FieldMapping.withCustom(config.customPrimitives());
        DecoderSettings settings = DecoderSettings.from(config, daemon.maps(), mapping,
                templates == null ? () -> { } : templates::markChanged);
        DaemonAssembly.Assembled assembled = CollectorDaemon.assemble(daemon, PROTOCOL,
                sink -> new NetflowDecoder(exporters, settings, sink), () -> counters(exporters), null)
                .atStop(() -> NetflowDecoder.dropHeld(exporters));
        if (templates != null) {
            assembled.atStart(() -> templates.load(exporters, mapping))
                    .every(200, () -> templates.saveIfChanged(exporters))
                    .atStop(() -> templates.saveOrKeepDue(exporters));
        }
        return assembled;
    }

    private static List<ExporterCounters> counters(ExporterTable exporters) {
        return exporters.all().stream().map(Exporter::counters).toList();
    }
}
