package jpmacct.nfacctd.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

import jpmacct.core.decode.Fault;
import jpmacct.core.decode.Verdict;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.KeptRecords;
import jpmacct.core.record.FlowRecord;
import jpmacct.nfacctd.exporter.Domain;
import jpmacct.nfacctd.exporter.Exporter;
import jpmacct.nfacctd.exporter.ExporterTable;
import jpmacct.nfacctd.template.Fields;

/**
 * Arbitrary datagrams from a few exporters into the decoders' entry point ({@link NetflowVersions}, as the
 * receiving thread calls it): nothing may throw, a verdict other than OK or HELD comes with its reason (whose
 * message formats), held data stays within its bound, and every record that comes out is whole.
 *
 * <p>Input: a sequence of datagrams, each behind 3 bytes: the exporter (u8, modulo 4) and the length (u16, cut to
 * what the input holds). A plain {@code mvn test} replays the committed inputs in
 * {@code src/test/resources/jpmacct/nfacctd/decode/NetflowDecoderFuzzTestInputs/}; the {@code fuzz} execution of this
 * module's pom fuzzes for {@code maxDuration}. {@code -Dfuzz.skip=true} leaves that out.
 */
class NetflowDecoderFuzzTest {
    private static final String[] EXPORTERS = {"192.0.2.1", "192.0.2.2", "2001:db8::1", "198.51.100.7"};
    private static final long HOLD = 4096;

    @FuzzTest(maxDuration = "10s")
    void decodeArbitraryDatagrams(byte[] data) throws Exception {
        ExporterTable exporters = new ExporterTable(new Metrics());
        DecoderSettings settings = new DecoderSettings(false, false, true, Fields.STANDARD, HOLD, 60_000, 4096, null,
                0, null, false);
        KeptRecords sink = new KeptRecords();
        NetflowVersions versions = new NetflowVersions(settings, new Formatting());
        Fault fault = new Fault();
        int pos = 0;
        while (data.length - pos >= 3) {
            Exporter e = exporters.get(InetAddress.getByName(EXPORTERS[(data[pos] & 0xFF) % EXPORTERS.length]));
            int len = Math.min(((data[pos + 1] & 0xFF) << 8) | (data[pos + 2] & 0xFF), data.length - pos - 3);
            // the datagram at the start of a larger array of garbage, as the receiver's reused array holds it: a
            // read past its length would see the garbage instead of failing
            byte[] received = new byte[len + 64];
            Arrays.fill(received, (byte) 0x5A);
            System.arraycopy(data, pos + 3, received, 0, len);
            fault.clear();
            Verdict v;
            synchronized (e) {
                v = versions.decode(received, 0, len, e, 1_700_000_000_000_000L, sink, fault);
            }
            if (v == Verdict.OK || v == Verdict.HELD) {
                assertFalse(fault.present(), "a fault with verdict " + v);
            } else {
                assertTrue(fault.present(), "verdict " + v + " without a reason");
                assertEquals(v, fault.reason().verdict());
                assertFalse(fault.message().isEmpty());
            }
            pos += 3 + len;
        }
        for (String s : EXPORTERS) {
            Exporter e = exporters.get(InetAddress.getByName(s));
            assertTrue(e.heldBytes() >= 0 && e.heldBytes() <= HOLD, "held bytes " + e.heldBytes());
        }
        for (FlowRecord r : sink.records) {
            assertTrue(r.srcFamily == 0 || r.srcFamily == 4 || r.srcFamily == 6, "family " + r.srcFamily);
            assertTrue(r.flows != 0, "flows " + r.flows); // unsigned: an 8-byte count may exceed 2^63
        }
    }

    /** Formats every notice, as a log line would: a pattern that does not fit its numbers throws. */
    private static final class Formatting implements Notices {
        private final Fault notice = new Fault();

        @Override
        public void sequenceGap(Domain d, NetflowFault unit, long expected, long received, long lost) {
            assertTrue(lost > 0 && lost < 0x80000000L, "lost " + lost);
            notice.set(unit, expected, received, lost);
            assertFalse(notice.message().isEmpty());
        }

        @Override
        public void templateRedefined(Domain d, int templateId, int oldFields, int newFields) {
            notice.set(NetflowFault.TEMPLATE_REDEFINED, templateId, oldFields, newFields);
            assertFalse(notice.message().isEmpty());
        }

        @Override
        public void heldSetFailed(Exporter from, Fault why) {
            assertTrue(why.present());
            assertFalse(why.message().isEmpty());
        }

        @Override
        public void dropped(Exporter from, int templateId) {
            notice.set(NetflowFault.NO_TEMPLATE, templateId);
            assertFalse(notice.message().isEmpty());
        }

        @Override
        public void optionsTableFull(Exporter from) {
            notice.set(NetflowFault.OPTIONS_TABLE_FULL, Exporter.MAX_OPTION_ENTRIES);
            assertFalse(notice.message().isEmpty());
        }
    }
}
