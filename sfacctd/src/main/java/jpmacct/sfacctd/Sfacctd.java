package jpmacct.sfacctd;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import jpmacct.collector.CollectorDaemon;
import jpmacct.collector.ExporterCounters;
import jpmacct.core.config.ConfigException;
import jpmacct.core.config.DaemonConfig;
import jpmacct.core.config.DaemonKind;
import jpmacct.core.runtime.DaemonAssembly;
import jpmacct.core.runtime.DaemonStartup;
import jpmacct.filter.RecordSource;
import jpmacct.sfacctd.agent.Agent;
import jpmacct.sfacctd.agent.AgentTable;
import jpmacct.sfacctd.agent.InterfaceCounters;
import jpmacct.sfacctd.decode.SflowDecoder;
import jpmacct.sfacctd.decode.SflowSettings;

/** sfacctd: collects sFlow v2/v4/v5 over UDP (or from a savefile) and accounts the flow samples. */
public final class Sfacctd {
    static final String HEADER = "sFlow Accounting Daemon, sfacctd";
    static final CollectorDaemon.Protocol PROTOCOL = new CollectorDaemon.Protocol("sFlow", 6343, RecordSource.SFLOW);
    public static final DaemonStartup.Spec SPEC = CollectorDaemon.spec(DaemonKind.SFACCTD, HEADER, SfacctdKeys.all(),
            "sFlow: v2, v4, v5 (flow and expanded flow samples, counter samples)");

    private Sfacctd() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return DaemonStartup.run(SPEC, args, out, err,
                DaemonAssembly.session(DaemonKind.SFACCTD, Sfacctd.class, args, Sfacctd::assemble));
    }

    private static DaemonAssembly.Assembled assemble(DaemonAssembly.Plugins daemon) throws ConfigException {
        DaemonConfig config = daemon.config();
        AgentTable agents = new AgentTable(daemon.metrics());
        SflowSettings settings = SflowSettings.from(config, daemon.maps());
        Map<ExporterCounters, Agent> byCounters = new IdentityHashMap<>();
        DaemonAssembly.Assembled assembled = CollectorDaemon.assemble(daemon, PROTOCOL,
                sink -> new SflowDecoder(agents, settings, sink), () -> counters(agents, byCounters),
                c -> detail(byCounters.get(c)));
        if (settings.counterLog() != null) {
            assembled.atStop(settings.counterLog()::close);
        }
        return assembled;
    }

    /** The agents' common counters for the stats line; {@code byCounters} is refilled to find their agent. */
    private static List<ExporterCounters> counters(AgentTable agents, Map<ExporterCounters, Agent> byCounters) {
        List<ExporterCounters> l = new ArrayList<>();
        byCounters.clear();
        for (Agent a : agents.all()) {
            l.add(a.counters.common);
            byCounters.put(a.counters.common, a);
        }
        return l;
    }

    /** What the stats line says of an agent after the common counters. */
    static String detail(Agent a) {
        StringBuilder sb = new StringBuilder();
        sb.append(", malformed samples ").append(a.counters.samplesMalformed.get())
                .append(", non-IP samples ").append(a.counters.samplesNotIp.get())
                .append(", unknown formats skipped ").append(a.counters.skippedUnknown.get())
                .append("; counter samples ").append(a.counters.counterSamples.get());
        for (InterfaceCounters i : a.interfaces()) {
            sb.append("; ").append(i.describe());
        }
        return sb.toString();
    }
}
