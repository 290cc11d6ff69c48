package jpmacct.sfacctd.decode;

import static jpmacct.sfacctd.decode.SflowWire.ethernetIpv4;
import static jpmacct.sfacctd.decode.SflowWire.flowSample;
import static jpmacct.sfacctd.decode.SflowWire.header;
import static jpmacct.sfacctd.decode.SflowWire.record;
import static jpmacct.sfacctd.decode.SflowWire.v5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jpmacct.collector.FlowToRdMap;
import jpmacct.collector.SamplingMap;
import jpmacct.core.metrics.Metrics;
import jpmacct.core.record.Addr;
import jpmacct.core.record.CountedRecords;
import jpmacct.core.record.FlowRecord;
import jpmacct.core.record.KeptRecords;
import jpmacct.sfacctd.agent.Agent;
import jpmacct.sfacctd.agent.AgentTable;
import jpmacct.sfacctd.agent.InterfaceCounters;

class SflowDecoderTest {
    private static final int[] AGENT = {10, 0, 0, 1};
    private static final int[] OTHER = {10, 0, 0, 2};
    private static final int[] SRC = {192, 168, 1, 5};
    private static final int[] DST = {203, 0, 113, 9};

    /** A decoder, its agents, and a sink that keeps a copy of every record. */
    static final class Harness {
        final AgentTable agents = new AgentTable(new Metrics());
        final KeptRecords kept = new KeptRecords();
        final List<FlowRecord> records = kept.records;
        final SflowDecoder decoder;

        Harness() {
            this(SflowSettings.DEFAULTS);
        }

        Harness(SflowSettings settings) {
            decoder = new SflowDecoder(agents, settings, kept);
        }

        void feed(byte[] datagram) throws Exception {
            // at the start of a larger array of garbage, as the receiver's reused array holds it: a read past
            // the datagram's length would see the garbage instead of failing
            byte[] big = new byte[datagram.length + 64];
            Arrays.fill(big, (byte) 0x5A);
            System.arraycopy(datagram, 0, big, 0, datagram.length);
            decoder.onDatagram(big, datagram.length, InetAddress.getByName("127.0.0.9"), 1_700_000_000_000_000L);
        }

        Agent agent(int[] a, long sub) {
            return agents.lookup().get(Addr.V4, 0, ((long) a[0] << 24) | (a[1] << 16) | (a[2] << 8) | a[3], sub);
        }
    }

    private static byte[] tcpHeader(int vlan) {
        return header(1, 1518, ethernetIpv4(vlan, 6, SRC, DST, 443, 51000, 1500, 128));
    }

    private static byte[] oneSample(int[] agent, long seq, byte[]... records) {
        return v5(agent, 0, seq, 1).part(1, flowSample(100, 3, 7, records)).build();
    }

    @Test
    void aFlowSampleWithItsExtendedRecords() throws Exception {
        Harness h = new Harness();
        byte[] sw = record(1001, new SflowWire().u32(0).u32(0).u32(300).u32(2));
        byte[] router = record(1002, new SflowWire().ipv4(10, 9, 9, 9).u32(24).u32(16));
        byte[] gateway = record(1003, new SflowWire().ipv4(10, 8, 8, 8).u32(65000).u32(64512).u32(64513)
                .u32(1).u32(2).u32(3).u32(64513).u32(64600).u32(64700) // one AS sequence of three
                .u32(1).u32(0xFDE80001L).u32(100));
        h.feed(v5(AGENT, 7, 1, 1).part(1, flowSample(100, 3, 7, sw, tcpHeader(0), router, gateway)).build());

        assertEquals(1, h.records.size());
        FlowRecord r = h.records.get(0);
        assertEquals("10.0.0.1", Addr.toString(r.peerSrcFamily, r.peerSrcHi, r.peerSrcLo), "peer_src_ip: the agent");
        assertEquals("192.168.1.5", Addr.toString(r.srcFamily, r.srcHi, r.srcLo));
        assertEquals("203.0.113.9", Addr.toString(r.dstFamily, r.dstHi, r.dstLo));
        assertEquals(6, r.proto);
        assertEquals(443, r.srcPort);
        assertEquals(51000, r.dstPort);
        assertEquals(0x12, r.tcpFlags);
        assertEquals(0x10, r.tos);
        assertEquals(1, r.packets);
        assertEquals(1518, r.bytes, "bytes: the frame length the agent reports");
        assertEquals(1, r.flows);
        assertEquals(100, r.samplingRate);
        assertEquals(3, r.inIface);
        assertEquals(7, r.outIface);
        assertEquals(300, r.vlan, "no source VLAN: the destination VLAN, as pmacct");
        assertEquals(2, r.cos);
        assertEquals(24, r.srcMask);
        assertEquals(16, r.dstMask);
        assertEquals(64512, r.srcAs);
        assertEquals(64700, r.dstAs, "the last AS of the path");
        assertEquals("10.8.8.8", Addr.toString(r.peerDstFamily, r.peerDstHi, r.peerDstLo), "the BGP next hop");
        assertEquals(5, r.exportProtoVersion);
        assertEquals(7, r.exportProtoSysid, "sub-agent id");
        assertEquals(1, r.exportProtoSeqno);
        assertEquals(0x020000000001L, r.srcMac);
        assertEquals(1_700_000_000_000_000L, r.timeStartMicros);
        Agent a = h.agent(AGENT, 7);
        assertEquals(1, a.counters.common.records.get());
        assertEquals("10.0.0.1 sub-agent 7", a.name);
    }

    @Test
    void vlanOfTheHeaderWhenNoSwitchRecordAndIpNextHopOnlyWhenAsked() throws Exception {
        Harness h = new Harness(new SflowSettings(null, 0, true, false));
        byte[] router = record(1002, new SflowWire().ipv4(10, 9, 9, 9).u32(24).u32(16));
        h.feed(oneSample(AGENT, 1, tcpHeader(42), router));
        FlowRecord r = h.records.get(0);
        assertEquals(42, r.vlan);
        assertEquals(5, r.cos);
        assertEquals("10.9.9.9", Addr.toString(r.peerDstFamily, r.peerDstHi, r.peerDstLo));

        Harness plain = new Harness();
        plain.feed(oneSample(AGENT, 1, tcpHeader(42), router));
        assertEquals(Addr.NONE, plain.records.get(0).peerDstFamily, "use_ip_next_hop is off by default");
    }

    @Test
    void expandedSamplesAndSampledIpRecords() throws Exception {
        Harness h = new Harness();
        SflowWire expanded = new SflowWire().u32(9).u32(0).u32(4).u32(512).u32(5120).u32(0).u32(0).u32(11).u32(0).u32(12)
                .u32(1).bytes(record(3, new SflowWire().u32(600).u32(17).bytes(new byte[] {1, 2, 3, 4})
                        .bytes(new byte[] {5, 6, 7, 8}).u32(53).u32(4000).u32(0).u32(8)));
        byte[] v6 = record(4, new SflowWire().u32(1280).u32(6).u64(0x20010db800000000L).u64(1).u64(0x20010db800000000L)
                .u64(2).u32(80).u32(1234).u32(0x18).u32(3));
        h.feed(v5(AGENT, 0, 1, 2).part(3, expanded).part(1, flowSample(1, 1, 2, v6)).build());
        assertEquals(2, h.records.size());
        FlowRecord a = h.records.get(0);
        assertEquals("1.2.3.4", Addr.toString(a.srcFamily, a.srcHi, a.srcLo));
        assertEquals(17, a.proto);
        assertEquals(53, a.srcPort);
        assertEquals(600, a.bytes);
        assertEquals(512, a.samplingRate);
        assertEquals(11, a.inIface);
        assertEquals(12, a.outIface);
        FlowRecord b = h.records.get(1);
        assertEquals("2001:db8::1", Addr.toString(b.srcFamily, b.srcHi, b.srcLo));
        assertEquals(0x86DD, b.etype);
        assertEquals(0x18, b.tcpFlags);
        assertEquals(1280, b.bytes);
    }

    @Test
    void ipv6TrafficClassIsTheTos() throws Exception {
        ByteBuffer f = ByteBuffer.allocate(14 + 40 + 20);
        f.put(new byte[12]).putShort((short) 0x86DD);
        f.putInt((6 << 28) | (0x10 << 20)).putShort((short) 20).put((byte) 6).put((byte) 64);
        f.putLong(0x20010db800000000L).putLong(1).putLong(0x20010db800000000L).putLong(2);
        f.putShort((short) 80).putShort((short) 1234).putInt(0).putInt(0).putShort((short) 0x5010).putInt(0).putShort((short) 0);
        Harness h = new Harness();
        h.feed(oneSample(AGENT, 1, header(1, 78, f.array())));
        assertEquals(0x10, h.records.get(0).tos, "the traffic class (pmacct: its low nibble of byte 0, 1)");
        assertEquals(80, h.records.get(0).srcPort);
    }

    @Test
    void counterSamplesKeepInterfaceCountersPerAgent() throws Exception {
        Harness h = new Harness();
        SflowWire generic = new SflowWire().u32(5).u32(6).u64(1_000_000_000L).u32(1).u32(3).u64(123456).u32(100).u32(2)
                .u32(1).u32(4).u32(5).u32(0).u64(654321).u32(200).u32(3).u32(2).u32(6).u32(7).u32(0);
        SflowWire sample = new SflowWire().u32(1).u32(5).u32(2).part(1, generic).part(2, new SflowWire().u32(0));
        h.feed(v5(AGENT, 0, 1, 2).part(2, sample).part(1, flowSample(1, 5, 0, tcpHeader(0))).build());
        Agent a = h.agent(AGENT, 0);
        assertEquals(1, a.counters.counterSamples.get());
        assertEquals(1, h.records.size(), "the flow sample after the counter sample is read");
        InterfaceCounters c = a.interfaces().get(0);
        assertEquals(5, c.ifIndex);
        assertEquals(123456, c.inOctets);
        assertEquals(103, c.inPackets);
        assertEquals(4, c.inDiscards);
        assertEquals(654321, c.outOctets);
        assertEquals(205, c.outPackets);
        assertEquals(1_000_000_000L, c.speed);
        assertTrue(c.describe().contains("ifIndex 5 (up, 1000000000 bps): in 103 pkts / 123456 bytes"), c.describe());
    }

    @Test
    void counterSamplesGoToTheCounterFilePerAgent(@TempDir Path dir) throws Exception {
        jpmacct.sfacctd.agent.CounterLog log = new jpmacct.sfacctd.agent.CounterLog(dir + "/cnt-$peer_src_ip.json",
                new jpmacct.core.output.Timestamps(false, false, ZoneOffset.UTC));
        Harness h = new Harness(new SflowSettings(null, 0, false, false, log, null));
        SflowWire generic = new SflowWire().u32(5).u32(6).u64(1_000_000_000L).u32(1).u32(3).u64(123456).u32(100).u32(2)
                .u32(1).u32(4).u32(5).u32(0).u64(654321).u32(200).u32(3).u32(2).u32(6).u32(7).u32(1);
        h.feed(v5(AGENT, 0, 41, 1).part(2, new SflowWire().u32(9).u32(5).u32(1).part(1, generic)).build());
        h.feed(v5(OTHER, 0, 1, 1).part(4, new SflowWire().u32(3).u32(0).u32(5).u32(1).part(1, generic)).build());
        log.close();
        assertEquals("{\"seq\": 0, \"timestamp\": \"2023-11-14 22:13:20.000000\", \"peer_src_ip\": \"10.0.0.1\", "
                + "\"event_type\": \"log_init\"}\n"
                + "{\"seq\": 1, \"timestamp\": \"2023-11-14 22:13:20.000000\", \"peer_ip_src\": \"10.0.0.1\", "
                + "\"event_type\": \"log\", \"source_id_index\": 5, \"sflow_seq\": 41, \"sflow_cnt_seq\": 9, "
                + "\"sf_cnt_type\": \"sflow_cnt_generic\", \"ifIndex\": 5, \"ifType\": 6, \"ifSpeed\": 1000000000, "
                + "\"ifDirection\": 1, \"ifStatus\": 3, \"ifInOctets\": 123456, \"ifInUcastPkts\": 100, "
                + "\"ifInMulticastPkts\": 2, \"ifInBroadcastPkts\": 1, \"ifInDiscards\": 4, \"ifInErrors\": 5, "
                + "\"ifInUnknownProtos\": 0, \"ifOutOctets\": 654321, \"ifOutUcastPkts\": 200, "
                + "\"ifOutMulticastPkts\": 3, \"ifOutBroadcastPkts\": 2, \"ifOutDiscards\": 6, \"ifOutErrors\": 7, "
                + "\"ifPromiscuousMode\": 1}\n", Files.readString(dir.resolve("cnt-10_0_0_1.json")));
        assertTrue(Files.readString(dir.resolve("cnt-10_0_0_2.json")).startsWith("{\"seq\": 2, "), "one sequence for all");
        assertTrue(Files.readString(dir.resolve("cnt-10_0_0_2.json")).contains("\"source_id_index\": 5, \"sflow_seq\": 1, "
                + "\"sflow_cnt_seq\": 3,"), "expanded: the source index of its own field");
    }

    @Test
    void sflowV2AndV4Datagrams() throws Exception {
        for (int version : new int[] {2, 4}) {
            Harness h = new Harness();
            byte[] frame = ethernetIpv4(0, 17, SRC, DST, 5000, 53, 80, 94);
            SflowWire gateway = version == 2
                    ? new SflowWire().u32(65000).u32(64512).u32(64513).u32(2).u32(64513).u32(64999)
                    : new SflowWire().u32(65000).u32(64512).u32(64513).u32(1).u32(2).u32(2).u32(64513).u32(64999)
                            .u32(0).u32(100);
            SflowWire w = new SflowWire().u32(version).ipv4(10, 0, 0, 1).u32(1).u32(1000).u32(2)
                    .u32(1).u32(1).u32(3).u32(64).u32(640).u32(0).u32(1).u32(2) // flow sample
                    .u32(1).u32(1).u32(98).u32(frame.length).bytes(frame) // header data
                    .u32(3).u32(1).u32(0).u32(0).u32(20).u32(0) // switch
                    .u32(2).ipv4(10, 1, 1, 1).u32(8).u32(24) // router
                    .u32(3).bytes(gateway.build()) // gateway
                    .u32(2).u32(2).u32(3).u32(20).u32(1); // counter sample, generic block
            w.u32(3).u32(1).u64(100_000_000L).u32(1).u32(3).u64(1).u32(1).u32(0).u32(0).u32(0).u32(0).u32(0)
                    .u64(2).u32(2).u32(0).u32(0).u32(0).u32(0).u32(0);
            h.feed(w.build());
            Agent a = h.agent(AGENT, 0);
            assertEquals(0, a.counters.common.malformed.get(), "v" + version);
            assertEquals(1, h.records.size(), "v" + version);
            FlowRecord r = h.records.get(0);
            assertEquals(version, r.exportProtoVersion);
            assertEquals(98, r.bytes);
            assertEquals(5000, r.srcPort);
            assertEquals(20, r.vlan);
            assertEquals(24, r.dstMask);
            assertEquals(64512, r.srcAs);
            assertEquals(64999, r.dstAs);
            assertEquals(64, r.samplingRate);
            assertEquals(1, a.counters.counterSamples.get(), "v" + version);
            assertEquals(3, a.interfaces().get(0).ifIndex);
        }
    }

    @Test
    void sequenceGapsAreCountedPerAgent() throws Exception {
        Harness h = new Harness();
        h.feed(oneSample(AGENT, 1, tcpHeader(0)));
        h.feed(oneSample(AGENT, 2, tcpHeader(0)));
        h.feed(oneSample(AGENT, 5, tcpHeader(0)));
        h.feed(oneSample(OTHER, 9, tcpHeader(0)));
        h.feed(oneSample(AGENT, 1, tcpHeader(0))); // a restart
        assertEquals(2, h.agent(AGENT, 0).counters.common.sequenceLost.get());
        assertEquals(0, h.agent(OTHER, 0).counters.common.sequenceLost.get());
        assertEquals(4, h.agent(AGENT, 0).counters.common.datagrams.get());
    }

    @Test
    void samplingMapOverridesTheSampleAndTheFallbackFillsInZero(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("sampling.map");
        Files.writeString(map, "id=1000 ip=10.0.0.2\n");
        SamplingMap m = SamplingMap.load(map);
        Harness h = new Harness(new SflowSettings(() -> m, 50, false, false));
        h.feed(oneSample(OTHER, 1, tcpHeader(0)));
        h.feed(v5(AGENT, 0, 1, 1).part(1, flowSample(0, 1, 2, tcpHeader(0))).build());
        assertEquals(1000, h.records.get(0).samplingRate);
        assertEquals(50, h.records.get(1).samplingRate, "rate 0 in the sample: sfacctd_ext_sampling_rate");
    }

    @Test
    void flowToRdMapGivesSamplesTheirRouteDistinguisher(@TempDir Path dir) throws Exception {
        Path map = dir.resolve("f2rd.map");
        Files.writeString(map, "id=0:65000:2 ip=10.0.0.1 in=-1\nid=1:10.0.0.1:7 ip=10.0.0.0/24\n");
        FlowToRdMap m = FlowToRdMap.load(map, false);
        Harness h = new Harness(new SflowSettings(null, 0, false, false, null, () -> m));
        h.feed(v5(AGENT, 0, 1, 1).part(1, flowSample(0, 1, 2, tcpHeader(0))).build());
        h.feed(v5(AGENT, 0, 2, 1).part(1, flowSample(0, 3, 2, tcpHeader(0))).build());
        h.feed(oneSample(new int[] {10, 0, 1, 1}, 1, tcpHeader(0)));
        assertEquals(FlowToRdMap.parseRd("1:10.0.0.1:7"), h.records.get(0).mplsVpnRd, "in=-1 does not match input 1");
        assertEquals(FlowRecord.RD_ORIGIN_MAP, h.records.get(0).mplsVpnRdOrigin);
        assertEquals(FlowToRdMap.parseRd("0:65000:2"), h.records.get(1).mplsVpnRd);
        assertEquals(0, h.records.get(2).mplsVpnRd, "no rule for the agent");
        assertEquals(FlowRecord.RD_ORIGIN_UNKNOWN, h.records.get(2).mplsVpnRdOrigin);
    }

    // ---- bad input: each is counted against its agent, never thrown, and loses nothing else

    /** Agent A sends the bad datagram between two good ones; agent B's datagram in between is whole. */
    private static Harness badBetweenGood(byte[] bad) throws Exception {
        Harness h = new Harness();
        h.feed(oneSample(AGENT, 1, tcpHeader(0)));
        h.feed(bad);
        h.feed(oneSample(OTHER, 1, tcpHeader(0)));
        h.feed(oneSample(AGENT, 3, tcpHeader(0)));
        assertEquals(1, h.agent(OTHER, 0).counters.common.records.get(), "the other agent loses nothing");
        assertEquals(0, h.agent(OTHER, 0).counters.common.malformed.get());
        return h;
    }

    @Test
    void aSampleLengthPastTheDatagramEndsItButKeepsTheSamplesBefore() throws Exception {
        byte[] good = flowSample(1, 1, 2, tcpHeader(0)).build();
        byte[] d = v5(AGENT, 0, 2, 2).part(1, new SflowWire().bytes(good)).u32(1).u32(100_000).bytes(good).build();
        Harness h = badBetweenGood(d);
        Agent a = h.agent(AGENT, 0);
        assertEquals(1, a.counters.common.malformed.get());
        assertEquals(3, a.counters.common.records.get(), "the sample before the fault is accounted");
    }

    @Test
    void aRecordLengthPastItsSampleDropsThatSampleOnly() throws Exception {
        byte[] bad = new SflowWire().u32(1).u32(5000).bytes(new byte[16]).build();
        byte[] d = v5(AGENT, 0, 2, 2).part(1, flowSample(1, 1, 2, bad)).part(1, flowSample(1, 1, 2, tcpHeader(0))).build();
        Harness h = badBetweenGood(d);
        Agent a = h.agent(AGENT, 0);
        assertEquals(1, a.counters.samplesMalformed.get());
        assertEquals(1, a.counters.common.malformed.get());
        assertEquals(3, a.counters.common.records.get(), "the sample after the bad one is read");
    }

    @Test
    void sampleAndRecordCountsOfTwoToThe32MinusOne() throws Exception {
        byte[] many = v5(AGENT, 0, 2, 0xFFFFFFFFL).part(1, flowSample(1, 1, 2, tcpHeader(0))).build();
        Harness h = badBetweenGood(many);
        assertEquals(3, h.agent(AGENT, 0).counters.common.records.get(), "what the datagram carries is kept");
        assertEquals(1, h.agent(AGENT, 0).counters.common.malformed.get());

        SflowWire records = new SflowWire().u32(1).u32(3).u32(1).u32(10).u32(0).u32(1).u32(2).u32(0xFFFFFFFFL)
                .bytes(tcpHeader(0));
        Harness r = badBetweenGood(v5(AGENT, 0, 2, 1).part(1, records).build());
        assertEquals(1, r.agent(AGENT, 0).counters.samplesMalformed.get());
        assertEquals(2, r.agent(AGENT, 0).counters.common.records.get());
    }

    @Test
    void aHeaderLongerThanItsRecordIsRefused() throws Exception {
        byte[] frame = ethernetIpv4(0, 6, SRC, DST, 1, 2, 40, 54);
        byte[] lying = new SflowWire().part(1, new SflowWire().u32(1).u32(58).u32(4).u32(200).bytes(frame)).build();
        Harness h = badBetweenGood(oneSample(AGENT, 2, lying));
        assertEquals(1, h.agent(AGENT, 0).counters.samplesMalformed.get());
        assertEquals(2, h.agent(AGENT, 0).counters.common.records.get());
    }

    @Test
    void unknownFormatsAreSkippedByLength() throws Exception {
        byte[] vendorRecord = record((4413 << 12) | 7, new SflowWire().u32(1).u32(2).u32(3));
        SflowWire vendorSample = new SflowWire().u32(1).u32(2).u32(3).u32(4).u32(5);
        byte[] d = v5(AGENT, 0, 2, 3).part((9 << 12) | 1, vendorSample).part(6, new SflowWire().u32(0))
                .part(1, flowSample(1, 1, 2, vendorRecord, tcpHeader(0))).build();
        Harness h = badBetweenGood(d);
        Agent a = h.agent(AGENT, 0);
        assertEquals(3, a.counters.skippedUnknown.get());
        assertEquals(0, a.counters.common.malformed.get());
        assertEquals(3, a.counters.common.records.get());
    }

    @Test
    void v2AndV4AddressTypeMismatches() throws Exception {
        // the agent address: a type that is neither IPv4 nor IPv6 (its length is unknown)
        byte[] agentType = new SflowWire().u32(4).u32(3).u32(0x0A000001L).u32(1).u32(0).u32(0).build();
        Harness h = badBetweenGood(agentType);
        assertEquals(1, h.agent(new int[] {127, 0, 0, 9}, 0).counters.common.malformed.get(),
                "no agent address to trust: counted against the sender");
        // an IPv6 agent address cut short by the datagram
        Harness h6 = badBetweenGood(new SflowWire().u32(2).u32(2).u32(0x20010db8L).build());
        assertEquals(1, h6.agent(new int[] {127, 0, 0, 9}, 0).counters.common.malformed.get());
        // a router next hop of type 7 inside a v4 flow sample: the datagram ends there, earlier samples stay
        byte[] frame = ethernetIpv4(0, 17, SRC, DST, 5000, 53, 80, 94);
        SflowWire w = new SflowWire().u32(4).ipv4(10, 0, 0, 1).u32(2).u32(1000).u32(2);
        for (int i = 0; i < 2; i++) {
            w.u32(1).u32(i).u32(3).u32(1).u32(1).u32(0).u32(1).u32(2).u32(1).u32(1).u32(98).u32(frame.length).bytes(frame)
                    .u32(1).u32(2).u32(i == 0 ? 1 : 7).u32(0x0A010101L).u32(8).u32(24);
        }
        Harness hv4 = badBetweenGood(w.build());
        Agent a = hv4.agent(AGENT, 0);
        assertEquals(1, a.counters.common.malformed.get());
        assertEquals(3, a.counters.common.records.get(), "the first v4 sample stays");
    }

    @Test
    void notIpIsCountedAndATruncatedHeaderStillAccounted() throws Exception {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        byte[] cut = ethernetIpv4(0, 6, SRC, DST, 1, 2, 1500, 20); // cut inside the IP header
        Harness h = new Harness();
        h.feed(v5(AGENT, 0, 1, 2).part(1, flowSample(1, 1, 2, header(1, 64, arp)))
                .part(1, flowSample(1, 1, 2, header(1, 1518, cut))).build());
        Agent a = h.agent(AGENT, 0);
        assertEquals(1, a.counters.samplesNotIp.get());
        assertEquals(1, h.records.size());
        assertEquals(1518, h.records.get(0).bytes);
        assertEquals(0, a.counters.common.malformed.get());
    }

    @Test
    void agentsPastTheLimitAreRefusedAndTheKnownOnesKeepCounting() throws Exception {
        Harness h = new Harness();
        h.feed(oneSample(AGENT, 1, tcpHeader(0)));
        for (int i = 0; i < AgentTable.MAX_AGENTS + 10; i++) {
            h.feed(oneSample(new int[] {11, (i >>> 16) & 0xFF, (i >>> 8) & 0xFF, i & 0xFF}, 1, tcpHeader(0)));
        }
        h.feed(oneSample(AGENT, 2, tcpHeader(0)));
        assertEquals(2, h.agent(AGENT, 0).counters.common.records.get(), "a known agent keeps counting");
        Agent full = h.agents.overflow();
        assertEquals(11, full.counters.common.malformed.get(), "10 past the limit, and AGENT's first one took a place");
        assertEquals(AgentTable.MAX_AGENTS + 1, h.agents.all().size(), "the table, and the overflow entry");
    }

    @Test
    void garbageNeverThrows() throws Exception {
        Harness h = new Harness();
        Random random = new Random(7);
        byte[] good = v5(AGENT, 0, 1, 1).part(1, flowSample(1, 1, 2, tcpHeader(0))).build();
        for (int i = 0; i < 20_000; i++) {
            byte[] d = good.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                d[random.nextInt(d.length)] = (byte) random.nextInt();
            }
            h.feed(Arrays.copyOf(d, random.nextInt(d.length + 1)));
        }
        h.feed(new byte[0]);
        h.feed(new byte[] {0, 0, 0, 5});
    }

    @Test
    void decodingAllocatesNothingPerSample() throws Exception {
        AgentTable agents = new AgentTable(new Metrics());
        CountedRecords sink = new CountedRecords();
        SflowDecoder d = new SflowDecoder(agents, SflowSettings.DEFAULTS, sink);
        byte[] frame = ethernetIpv4(7, 6, SRC, DST, 443, 51000, 1500, 128);
        byte[][] records = new byte[8][];
        for (int i = 0; i < records.length; i++) {
            records[i] = header(1, 1518, frame);
        }
        SflowWire w = v5(AGENT, 0, 1, 8);
        for (byte[] r : records) {
            w.part(1, flowSample(10, 1, 2, r, record(1001, new SflowWire().u32(7).u32(0).u32(0).u32(0))));
        }
        byte[] datagram = w.build();
        InetAddress sender = InetAddress.getByName("127.0.0.1");
        for (int i = 0; i < 20_000; i++) { // warm up: JIT, the agent's first lookup
            d.onDatagram(datagram, datagram.length, sender, i);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        int datagrams = 50_000;
        for (int i = 0; i < datagrams; i++) {
            d.onDatagram(datagram, datagram.length, sender, i);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < datagrams * 8L / 10, "allocated " + allocated + " bytes for " + datagrams * 8 + " samples");
        assertEquals(1518L * 8 * (datagrams + 20_000), sink.bytes);
    }
}
