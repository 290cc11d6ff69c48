#!/usr/bin/env bash
# sfacctd, jpmacct next to pmacct 1.7.7: the sFlow flow samples per second each accounts with zero loss, from an
# sFlow v5 stream (pmacctd's sfprobe at sampling rate 1 over a 200k-packet capture of 50k flows: 200k samples,
# ~8 per datagram, each carrying a 128-byte sampled header; looped by bench/native/flowreplay with continuous
# datagram sequence numbers) into a memory plugin aggregating the 5-tuple; and the CPU each daemon used per
# million samples. Each step offers RATE samples/s for SECONDS, then counts the samples in the memory table (the
# flows primitive: one per sample) against those sent. Before each step the daemon gets 5 s of the stream at
# 200k samples/s, left out of the counts: the JVM compiles its hot code in its first seconds (pmacct needs none).
#   bench/sfacctd-vs-pmacct.sh                 RATES_PMACCT / RATES_JPMACCT / STEP_SECONDS override the steps
#   BUFFERS=default bench/sfacctd-vs-pmacct.sh leaves plugin_buffer_size / plugin_pipe_size at their defaults
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
SECONDS_PER_STEP="${STEP_SECONDS:-10}"   # not SECONDS: bash counts its own run time in it
RATES_PMACCT="${RATES_PMACCT:-50000 67000 100000 150000}"
RATES_JPMACCT="${RATES_JPMACCT:-500000 700000 1000000 1400000}"
command -v sfacctd >/dev/null || [ -x /usr/sbin/sfacctd ] || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
WAITING="waiting for sFlow data"
WARMUP_SECONDS="${WARMUP_SECONDS:-5}"
WARMUP_RATE="${WARMUP_RATE:-200000}"
. "$ROOT/bench/lib/collector-steps.sh"

[ -f "$B/sflow200k.pcap" ] || java -cp "$CP" jpmacct.bench.GenPcap "$B/sflow200k.pcap" 200000 50000 11 every
if [ ! -f "$B/stream-sflow.bin" ]; then
  java -cp "$CP" jpmacct.bench.RecordStream "$B/stream-sflow.bin" 23457 sflow & rec=$!
  sleep 2
  printf 'pcap_savefile: %s\nplugins: sfprobe[sf]\nsfprobe_receiver[sf]: 127.0.0.1:23457\nsfprobe_agentip[sf]: 127.0.0.2\n' \
    "$B/sflow200k.pcap" > "$W/probe.conf"
  "$ROOT/bin/pmacctd" -f "$W/probe.conf" > "$W/probe.log" 2>&1
  wait $rec
fi

conf() { # $1 port, $2 socket
  cat <<CONF
daemonize: false
sfacctd_ip: 127.0.0.1
sfacctd_port: $1
sfacctd_pipe_size: 67108864
plugins: memory[m]
aggregate[m]: src_host, dst_host, src_port, dst_port, proto, flows
imt_path[m]: $2
imt_mem_pools_number[m]: 1024
imt_mem_pools_size[m]: 1048576
$( [ "${BUFFERS:-large}" = default ] || printf 'plugin_buffer_size: 102400\nplugin_pipe_size: 268435456' )
CONF
}
echo "== sFlow v5 stream ($(( $(stat -c %s "$B/stream-sflow.bin") / 1024 )) KiB)"
for r in $RATES_PMACCT; do step "pmacct-sflow" /usr/sbin/sfacctd /usr/bin/pmacct "$B/stream-sflow.bin" "$r"; done
for r in $RATES_JPMACCT; do step "jpmacct-sflow" "$ROOT/bin/sfacctd" "$ROOT/bin/pmacct" "$B/stream-sflow.bin" "$r"; done
