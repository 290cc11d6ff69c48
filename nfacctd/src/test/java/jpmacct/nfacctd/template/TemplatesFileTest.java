package jpmacct.nfacctd.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.core.metrics.Metrics;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;

class TemplatesFileTest {

    @Test
    void savedTemplatesComeBackWithTheirLayout(@TempDir Path dir) throws Exception {
        ExporterTable before = new ExporterTable(new Metrics());
        Exporter e = before.get(InetAddress.getByName("2001:db8::7"));
        e.domain(10, 4_000_000_000L).templates().put(new Template(10, 300, false, 0, new int[] {8, 82, 1000},
                new long[] {0, 0, 29305}, new int[] {4, Template.VARIABLE, 2}, Fields.STANDARD));
        e.domain(9, 1).templates().put(new Template(9, 256, true, 1, new int[] {1, 34}, new long[] {0, 0},
                new int[] {4, 4}, Fields.STANDARD));
        TemplatesFile file = new TemplatesFile(dir.resolve("t.json"));
        file.save(before);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
        ExporterTable after = new ExporterTable(new Metrics());
        assertEquals(2, file.load(after, Fields.STANDARD));
        Exporter back = after.get(InetAddress.getByName("2001:db8::7"));
        Template t = back.domain(10, 4_000_000_000L).templates().get(300);
        assertTrue(t.sameLayout(e.domain(10, 4_000_000_000L).templates().get(300)));
        assertEquals(29305, t.enterprise(2));
        Template o = back.domain(9, 1).templates().get(256);
        assertTrue(o.options());
        assertEquals(1, o.scopeCount());
    }

    @Test
    void aDamagedFileIsIgnored(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("t.json");
        TemplatesFile file = new TemplatesFile(p);
        assertEquals(0, file.load(new ExporterTable(new Metrics()), Fields.STANDARD), "no file yet");
        Files.writeString(p, "{\"format\": 1, \"templates\": [{\"exporter\": \"192.0.2.1\", \"netflow\": 9, \"domain\": 0, ");
        assertEquals(0, file.load(new ExporterTable(new Metrics()), Fields.STANDARD));
        Files.writeString(p, "{\"format\": 1, \"templates\": [{\"exporter\": \"example.com\", \"netflow\": 9, \"domain\": 0, "
                + "\"id\": 256, \"options\": false, \"scope\": 0, \"fields\": [[8, 4, 0]]}]}");
        assertEquals(0, file.load(new ExporterTable(new Metrics()), Fields.STANDARD), "names are not looked up");
        Files.writeString(p, "{\"format\": 1, \"templates\": [{\"exporter\": \"192.0.2.1\", \"netflow\": 9, \"domain\": 0, "
                + "\"id\": 256, \"options\": false, \"scope\": 0, \"fields\": [[8, 0, 0]]}]}");
        assertEquals(0, file.load(new ExporterTable(new Metrics()), Fields.STANDARD), "a field of length 0");
    }
}
