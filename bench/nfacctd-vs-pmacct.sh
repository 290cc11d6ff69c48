#!/usr/bin/env bash
# nfacctd, jpmacct next to pmacct 1.7.7: the flow records per second each accounts with zero loss, from a NetFlow
# v9 and an IPFIX stream (softflowd's export of a 1M-packet capture, ~98k records in ~27-record datagrams, looped
# by bench/native/flowreplay with continuous sequence numbers) into a memory plugin aggregating the 5-tuple; and
# the CPU each daemon used per million records. Each step offers RATE records/s for SECONDS, then counts the
# records in the memory table (the flows primitive) against those sent.
#   bench/nfacctd-vs-pmacct.sh                 RATES_PMACCT / RATES_JPMACCT / STEP_SECONDS override the steps
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
SECONDS_PER_STEP="${STEP_SECONDS:-10}"   # not SECONDS: bash counts its own run time in it
RATES_PMACCT="${RATES_PMACCT:-50000 100000 150000 200000 300000}"
RATES_JPMACCT="${RATES_JPMACCT:-250000 500000 1000000 1500000 2000000}"
command -v nfacctd >/dev/null || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
command -v softflowd >/dev/null || [ -x /usr/sbin/softflowd ] || { echo "softflowd is needed: apt-get install softflowd" >&2; exit 1; }
WAITING="waiting for NetFlow"
. "$ROOT/bench/lib/collector-steps.sh"

[ -f "$B/flows200k.pcap" ] || java -cp "$CP" jpmacct.bench.GenPcap "$B/flows200k.pcap" 1000000 200000 5 every
for v in 9 10; do
  if [ ! -f "$B/stream-v$v.bin" ]; then
    java -cp "$CP" jpmacct.bench.RecordStream "$B/stream-v$v.bin" 23456 & rec=$!
    sleep 2
    softflowd -r "$B/flows200k.pcap" -n 127.0.0.1:23456 -v $v -d -m 1000000 > /dev/null
    wait $rec
  fi
done

conf() { # $1 port, $2 socket
  cat <<CONF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $1
nfacctd_pipe_size: 67108864
plugins: memory[m]
aggregate[m]: src_host, dst_host, src_port, dst_port, proto, flows
imt_path[m]: $2
imt_mem_pools_number[m]: 1024
imt_mem_pools_size[m]: 1048576
plugin_buffer_size: 102400
plugin_pipe_size: 268435456
CONF
}
for v in 9 10; do
  echo "== NetFlow v$v stream ($(( $(stat -c %s "$B/stream-v$v.bin") / 1024 )) KiB)"
  for r in $RATES_PMACCT; do step "pmacct-v$v" /usr/sbin/nfacctd /usr/bin/pmacct "$B/stream-v$v.bin" "$r"; done
  for r in $RATES_JPMACCT; do step "jpmacct-v$v" "$ROOT/bin/nfacctd" "$ROOT/bin/pmacct" "$B/stream-v$v.bin" "$r"; done
done
