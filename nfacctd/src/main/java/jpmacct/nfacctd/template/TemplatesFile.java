package jpmacct.nfacctd.template;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;

/**
 * nfacctd_templates_file: the NetFlow v9 and IPFIX templates of every exporter, so that after a restart data
 * decodes before the routers resend their templates (which can take 30 minutes). Written to a temporary file and
 * renamed, so a crash never leaves half a file; a damaged or foreign file is reported and ignored.
 */
public final class TemplatesFile {
    private static final Logger LOG = LoggerFactory.getLogger(TemplatesFile.class);
    private static final int FORMAT = 1;

    private final Path file;
    private final AtomicBoolean changed = new AtomicBoolean();

    public TemplatesFile(Path file) {
        this.file = file;
    }

    /** A template was learnt, redefined or withdrawn (called under an exporter's lock): the file is due. */
    public void markChanged() {
        changed.set(true);
    }

    /** Writes the file when a template changed since it was last written (a chore of the core thread). */
    public void saveIfChanged(ExporterTable exporters) {
        if (changed.getAndSet(false)) {
            saveOrKeepDue(exporters);
        }
    }

    /** Writes the file now (at exit); a failure is logged and leaves it due. */
    public void saveOrKeepDue(ExporterTable exporters) {
        try {
            save(exporters);
        } catch (IOException e) {
            changed.set(true);
            LOG.warn("[{}] cannot save templates: {}", file, e.getMessage());
        }
    }

    public Path path() {
        return file;
    }

    /** Loads the saved templates into the exporters; returns how many. */
    public int load(ExporterTable exporters, FieldMapping mapping) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.info("[{}] no saved templates yet; the file is created when the first template arrives", file);
            return 0;
        } catch (IOException e) {
            LOG.warn("[{}] cannot read saved templates ({}); starting without them", file, e.getMessage());
            return 0;
        }
        int n = 0;
        try {
            Object root = MiniJson.parse(text);
            if (!(root instanceof Map<?, ?> m) || !Long.valueOf(FORMAT).equals(m.get("format"))
                    || !(m.get("templates") instanceof List<?> list)) {
                throw new IllegalArgumentException("not a jpmacct templates file (format " + FORMAT + ")");
            }
            for (Object o : list) {
                Map<?, ?> t = (Map<?, ?>) o;
                Exporter ex = exporters.get(address((String) t.get("exporter")));
                int version = num(t, "netflow");
                long domainId = (Long) t.get("domain");
                int id = num(t, "id");
                boolean options = Boolean.TRUE.equals(t.get("options"));
                int scope = num(t, "scope");
                List<?> fields = (List<?>) t.get("fields");
                int[] types = new int[fields.size()];
                long[] ents = new long[fields.size()];
                int[] lens = new int[fields.size()];
                for (int i = 0; i < fields.size(); i++) {
                    List<?> f = (List<?>) fields.get(i);
                    types[i] = ((Long) f.get(0)).intValue();
                    lens[i] = ((Long) f.get(1)).intValue();
                    ents[i] = (Long) f.get(2);
                    if (lens[i] <= 0 || lens[i] > 0xFFFF || types[i] < 0 || types[i] > 0x7FFF) {
                        throw new IllegalArgumentException("template " + id + " has a bad field");
                    }
                }
                if ((version != 9 && version != 10) || id < 256 || id > 0xFFFF || types.length == 0) {
                    throw new IllegalArgumentException("bad template entry (version " + version + ", id " + id + ")");
                }
                synchronized (ex) {
                    ex.domain(version, domainId).templates()
                            .put(new Template(version, id, options, scope, types, ents, lens, mapping));
                }
                n++;
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] saved templates ignored: {}", file, e.getMessage());
            return 0;
        }
        LOG.info("[{}] {} saved templates loaded", file, n);
        return n;
    }

    private static int num(Map<?, ?> m, String k) {
        Object v = m.get(k);
        if (!(v instanceof Long l)) {
            throw new IllegalArgumentException("missing '" + k + "'");
        }
        return l.intValue();
    }

    private static InetAddress address(String text) {
        if (text == null || !text.matches("[0-9A-Fa-f:.]+")) {
            throw new IllegalArgumentException("bad exporter address '" + text + "'");
        }
        try {
            return InetAddress.getByName(text); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad exporter address '" + text + "'");
        }
    }

    /** Writes every exporter's templates (each exporter read under its lock). */
    public void save(ExporterTable exporters) throws IOException {
        List<String> entries = new ArrayList<>();
        for (Exporter ex : exporters.all()) {
            synchronized (ex) {
                for (Domain d : ex.domains()) {
                    if (d.version() != 9 && d.version() != 10) {
                        continue;
                    }
                    d.templates().forEach(t -> entries.add(entry(ex, d, t)));
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("{\"format\": ").append(FORMAT).append(", \"templates\": [");
        for (int i = 0; i < entries.size(); i++) {
            sb.append(i == 0 ? "\n  " : ",\n  ").append(entries.get(i));
        }
        sb.append("\n]}\n");
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String entry(Exporter ex, Domain d, Template t) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"exporter\": \"").append(ex.name()).append("\", \"netflow\": ").append(d.version())
                .append(", \"domain\": ").append(d.id()).append(", \"id\": ").append(t.id())
                .append(", \"options\": ").append(t.options()).append(", \"scope\": ").append(t.scopeCount())
                .append(", \"fields\": [");
        for (int i = 0; i < t.fieldCount(); i++) {
            sb.append(i == 0 ? "" : ", ").append('[').append(t.type(i)).append(", ").append(t.length(i)).append(", ")
                    .append(t.enterprise(i)).append(']');
        }
        return sb.append("]}").toString();
    }
}
