package jpmacct.client;

import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jpmacct.core.config.ConfigException;
import jpmacct.core.imt.ImtProtocol;
import jpmacct.core.imt.ImtQuery;
import jpmacct.core.imt.MatchSpec;
import jpmacct.core.output.OutputFormat;

/**
 * {@code pmacct}, the memory plugin client, with pmacct 1.7.7's flags and output. The daemon formats the answer;
 * the client validates the query, sends it and copies the answer to stdout, so it starts and ends quickly. Flags
 * are parsed with getopt semantics, as pmacct does, by the client's own {@link GetOpt}, not by picocli as the daemons'
 * are: picocli would add tens of milliseconds to a {@code watch}/MRTG call (docs/PERFORMANCE.md).
 */
public final class PmacctClient {
    /** pmacct 1.7.7's getopt string for the client. */
    static final String OPTIONS = "hVsN:M:n:Sac:T:eirltCUp:O:E:Iu0";
    static final String VERSION = "pmacct IMT plugin client, jpmacct 0.1.0 (pmacct 1.7.7 compatible)";

    private boolean help;
    private boolean version;
    private boolean show;
    private String counters;
    private String table;
    private String counter;
    private boolean sum;
    private boolean allFields;
    private String primitives;
    private String top;
    private boolean erase;
    private boolean sinceErase;
    private boolean reset;
    /** -l: accepted; every query is a consistent snapshot anyway. */
    private boolean lock;
    private boolean status;
    private boolean classifiers;
    private boolean customPrimitives;
    private String socket = "/tmp/collect.pipe";
    private String output = "formatted";
    private String separator = ",";
    private boolean sinceEpoch;
    private boolean numericProtos;
    private boolean utc;

    /** A problem to report as {@code ERROR: ...} with exit status 1. */
    static final class ClientError extends Exception {
        private static final long serialVersionUID = 1L;

        ClientError(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        PrintStream err = System.err;
        int status;
        try {
            status = run(args, new FileOutputStream(FileDescriptor.out), err);
        } catch (ClientError e) {
            err.println("ERROR: " + e.getMessage());
            status = 1;
        }
        System.exit(status);
    }

    static int run(String[] args, OutputStream stdout, PrintStream err) throws ClientError {
        PmacctClient c = new PmacctClient();
        try {
            c.apply(new GetOpt(OPTIONS, args));
        } catch (ConfigException e) {
            err.println("ERROR: " + e.getMessage());
            err.print(usage());
            return 1;
        }
        PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
        if (c.help) {
            out.print(usage());
            out.flush();
            return 0;
        }
        if (c.version) {
            out.println(VERSION);
            out.flush();
            return 0;
        }
        ImtQuery q = c.query(err);
        return send(Path.of(c.socket), q, stdout);
    }

    private void apply(GetOpt opts) throws ConfigException {
        if (!opts.operands().isEmpty()) {
            throw new ConfigException("unexpected argument '" + opts.operands().get(0) + "'");
        }
        for (GetOpt.Option o : opts.options()) {
            String a = o.argument();
            switch (o.name()) {
                case 'h' -> help = true;
                case 'V' -> version = true;
                case 's' -> show = true;
                case 'N' -> counters = a;
                case 'M' -> table = a;
                case 'n' -> counter = a;
                case 'S' -> sum = true;
                case 'a' -> allFields = true;
                case 'c' -> primitives = a;
                case 'T' -> top = a;
                case 'e' -> erase = true;
                case 'i' -> sinceErase = true;
                case 'r' -> reset = true;
                case 'l' -> lock = true;
                case 't' -> status = true;
                case 'C' -> classifiers = true;
                case 'U' -> customPrimitives = true;
                case 'p' -> socket = a;
                case 'O' -> output = a;
                case 'E' -> separator = a;
                case 'I' -> sinceEpoch = true;
                case 'u' -> numericProtos = true;
                case '0' -> utc = true;
                default -> throw new ConfigException("invalid option -- '" + o.name() + "'");
            }
        }
    }

    /** The query the flags describe, validated as the daemon will validate it. */
    ImtQuery query(PrintStream err) throws ClientError {
        if (classifiers || customPrimitives) {
            throw new ClientError((classifiers ? "-C (classifiers table)" : "-U (custom primitives table)")
                    + " is not supported by this build");
        }
        ImtQuery q = new ImtQuery();
        int ops = 0;
        if (show) {
            q.op = ImtQuery.Op.SHOW;
            ops++;
        }
        if (counters != null) {
            q.op = ImtQuery.Op.COUNTERS;
            ops++;
        }
        if (table != null) {
            q.op = ImtQuery.Op.TABLE;
            ops++;
        }
        if (sinceErase) {
            q.op = ImtQuery.Op.SINCE_ERASE;
            ops++;
        }
        if (status) {
            q.op = ImtQuery.Op.STATUS;
            ops++;
        }
        if (ops == 0 && !erase) {
            throw new ClientError("no query given: one of -s, -N, -M, -e, -i, -t (see pmacct -h)");
        }
        if (ops > 1) {
            throw new ClientError("give one query at a time: -s, -N, -M, -i and -t exclude each other");
        }
        if (q.op == ImtQuery.Op.COUNTERS || q.op == ImtQuery.Op.TABLE) {
            if (primitives == null || primitives.isBlank()) {
                throw new ClientError("-N or -M selected but -c has not been specified or is invalid.");
            }
            try {
                q.primitives = ImtQuery.primitives(primitives);
                q.matches = requests(counters != null ? counters : table);
                for (String m : q.matches) {
                    MatchSpec.parse(q.primitives, m);
                }
            } catch (IllegalArgumentException e) {
                throw new ClientError(e.getMessage());
            }
        }
        if (counter != null) {
            String n = counter.toLowerCase(Locale.ROOT);
            if (!List.of("bytes", "packets", "flows", "all").contains(n)) {
                throw new ClientError("-n: '" + counter + "' is not one of bytes, packets, flows, all");
            }
            q.counter = n;
        }
        if (top != null) {
            String[] t = top.split(",", 2);
            String field = t[0].strip().toLowerCase(Locale.ROOT);
            if (List.of("bytes", "packets", "flows").contains(field)) {
                q.topCounter = field;
            } else {
                err.println("WARN: -T, ignoring unknown counter type: " + t[0] + ".");
            }
            if (t.length > 1 && !t[1].isBlank()) {
                try {
                    q.topN = Integer.parseInt(t[1].strip());
                } catch (NumberFormatException e) {
                    throw new ClientError("-T: '" + t[1] + "' is not a number of entries");
                }
                if (q.topN < 0) {
                    throw new ClientError("-T: the number of entries cannot be negative");
                }
            }
        }
        String o = output.toLowerCase(Locale.ROOT);
        if (!ImtQuery.OUTPUTS.contains(o)) {
            throw new ClientError("-O: '" + output + "' is not one of " + String.join(", ", ImtQuery.OUTPUTS));
        }
        q.output = o;
        q.separator = separator(separator);
        q.sum = sum;
        q.allFields = allFields;
        q.sinceEpoch = sinceEpoch;
        q.numericProtos = numericProtos;
        q.utc = utc;
        q.reset = reset;
        // -e joins a query as in pmacct: -s and -M print the table and clear it at once; with -N, -i or -t
        // (or alone) only "OK: Clearing stats." is printed
        if (erase) {
            if (show || table != null) {
                q.erase = true;
            } else {
                q.op = ImtQuery.Op.ERASE;
                q.matches = List.of();
            }
        }
        // same host as the daemon: only a TZ of the client's own can differ (and loading the zone rules is slow)
        String tz = System.getenv("TZ");
        q.zone = tz == null ? "" : tz.startsWith(":") ? tz.substring(1) : tz;
        return q;
    }

    /** -E as pmacct takes it: one character, or {@code \t} (and {@code \s}, as print_output_separator); empty is ','. */
    static String separator(String arg) throws ClientError {
        String sep = arg.isEmpty() ? "," : OutputFormat.separator(arg);
        if (sep.length() != 1) {
            throw new ClientError("-E option expects a single char as separator");
        }
        return sep;
    }

    /** The requests of -N/-M: ';'-separated, or one per line of a 'file:' list. */
    static List<String> requests(String arg) throws ClientError {
        List<String> out = new ArrayList<>();
        if (arg.startsWith("file:")) {
            Path f = Path.of(arg.substring(5));
            List<String> lines;
            try {
                lines = Files.readAllLines(f, StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw new ClientError("file '" + f + "' not found");
            } catch (IOException e) {
                throw new ClientError("cannot read '" + f + "': " + e.getMessage());
            }
            for (String l : lines) {
                String s = l.strip();
                if (!s.isEmpty() && !s.startsWith("!") && !s.startsWith("#")) {
                    out.add(s);
                }
            }
        } else {
            for (String s : arg.split(";")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        if (out.isEmpty()) {
            throw new ClientError("no values to match in '" + arg + "'");
        }
        return out;
    }

    /** Sends the query and copies the answer to stdout; 0 on success. */
    static int send(Path socket, ImtQuery q, OutputStream stdout) throws ClientError {
        byte[] request = ImtProtocol.request(q.encode());
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new ClientError("cannot open a UNIX socket: " + e.getMessage());
        }
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new ClientError(whyNoConnection(socket, e));
        }
        try (ch) {
            try {
                ch.write(ByteBuffer.wrap(request));
            } catch (IOException e) {
                // the peer hung up before reading: what it said before, if anything, tells who it is
            }
            InputStream in = Channels.newInputStream(ch);
            int st;
            try {
                st = ImtProtocol.readResponseHeader(in);
            } catch (EOFException e) {
                throw new ClientError("'" + socket + "' closed the connection without answering; is it a jpmacct memory plugin socket?");
            } catch (ImtProtocol.ProtocolException e) {
                if (e.version() < 0) {
                    throw new ClientError("'" + socket + "' is not a jpmacct memory plugin socket");
                }
                throw new ClientError("the daemon on '" + socket + "' speaks memory protocol version " + e.version()
                        + ", this client version " + ImtProtocol.VERSION
                        + ": use the pmacct client installed with that daemon");
            }
            if (st != ImtProtocol.OK) {
                throw new ClientError(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
            in.transferTo(stdout);
            stdout.flush();
            return 0;
        } catch (IOException e) {
            throw new ClientError("talking to '" + socket + "': " + e.getMessage());
        }
    }

    /** Says why connecting failed, looking at the path only now that it has (nothing extra on the way to an answer). */
    static String whyNoConnection(Path socket, IOException e) {
        String at = " '" + socket + "'";
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(socket, BasicFileAttributes.class);
        } catch (NoSuchFileException gone) {
            return "Unable to connect to" + at + ": no such socket (is the memory plugin running?)";
        } catch (IOException other) {
            return "Unable to connect to" + at + ": " + other.getMessage();
        }
        if (attrs.isRegularFile()) {
            return "Unable to connect to" + at + ": it is a regular file, not a socket (-p takes the memory plugin's imt_path)";
        }
        if (attrs.isDirectory()) {
            return "Unable to connect to" + at + ": it is a directory, not a socket (-p takes the memory plugin's imt_path)";
        }
        String why = String.valueOf(e.getMessage());
        if (why.contains("Connection refused")) {
            return "Connection refused while trying to connect to" + at
                    + ": nothing listens on this socket (left behind by a daemon that stopped?)";
        }
        return "Unable to connect to" + at + ": " + why;
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was sent
        }
    }

    static String usage() {
        return VERSION + "\n"
                + "Usage: pmacct [query]\n\n"
                + "Queries:\n"
                + "  -h\tShow this page\n"
                + "  -s\tShow statistics\n"
                + "  -N\t<matching data>[';'<matching data>] | 'file:'<filename> \n"
                + "\tMatch primitives; print counters only (requires -c)\n"
                + "  -M\t<matching data>[';'<matching data>] | 'file:'<filename> \n"
                + "\tMatch primitives; print formatted table (requires -c)\n"
                + "  -n\t<bytes | packets | flows | all> \n"
                + "\tSelect the counters to print (applies to -N)\n"
                + "  -S\tSum counters instead of returning a single counter for each request (applies to -N)\n"
                + "  -a\tDisplay all table fields (even those currently unused)\n"
                + "  -c\t< src_mac | dst_mac | vlan | cos | etype | src_host | dst_host | src_net | dst_net | \n"
                + "\t src_mask | dst_mask | src_port | dst_port | tos | proto | src_as | dst_as | sum_mac | \n"
                + "\t sum_host | sum_net | sum_as | sum_port | in_iface | out_iface | tag | tag2 | label | class | \n"
                + "\t peer_src_ip | peer_dst_ip | sampling_rate | export_proto_seqno | export_proto_version | \n"
                + "\t export_proto_sysid > \n"
                + "\tSelect primitives to match (required by -N and -M)\n"
                + "  -T\t<bytes | packets | flows>,[<# how many>] \n"
                + "\tOutput top N statistics (applies to -M and -s)\n"
                + "  -e\tClear statistics (with -s or -M: print them and clear, in one step)\n"
                + "  -i\tShow time (in seconds) since statistics were last cleared (ie. pmacct -e)\n"
                + "  -r\tReset counters (applies to -N and -M)\n"
                + "  -l\tPerform locking of the table (every query is a consistent snapshot here)\n"
                + "  -t\tShow memory table status\n"
                + "  -C\tShow classifiers table (not supported by this build)\n"
                + "  -U\tShow custom primitives table (not supported by this build)\n"
                + "  -p\t<file> \n"
                + "\tSocket for client-server communication (DEFAULT: /tmp/collect.pipe)\n"
                + "  -O\tSet output < formatted | csv | json | event_formatted | event_csv > (applies to -M and -s)\n"
                + "  -E\tSet the separator for CSV output\n"
                + "  -I\tSet timestamps in 'since Epoch' format\n"
                + "  -u\tLeave IP protocols in numerical format\n"
                + "  -0\tAlways set timestamps to UTC (even if the timezone configured on the system is different)\n"
                + "  -V\tPrint version and exit\n\n"
                + "  See docs/MEMORY-PROTOCOL.md and README.md for examples\n";
    }
}
