#!/usr/bin/env bash
# nfacctd, jpmacct next to pmacct 1.7.7: the flow records per second each accounts with zero loss, from a NetFlow
# v9 and an IPFIX stream (softflowd's export of a 1M-packet capture, ~98k records in ~27-record datagrams, looped
# by bench/native/flowreplay with continuous sequence numbers) into a memory plugin aggregating the 5-tuple; and
# the CPU each daemon used per million records. Each step offers RATE records/s for SECONDS, then counts the
# records in the memory table (the flows primitive) against those sent.
#   bench/nfacctd-vs-pmacct.sh                 RATES_PMACCT / RATES_JPMACCT / SECONDS override the steps
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
B=/tmp/jpmacct-bench
SECONDS_PER_STEP="${SECONDS:-10}"
RATES_PMACCT="${RATES_PMACCT:-50000 100000 150000 200000 300000}"
RATES_JPMACCT="${RATES_JPMACCT:-250000 500000 1000000 1500000 2000000}"
command -v nfacctd >/dev/null || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
command -v softflowd >/dev/null || [ -x /usr/sbin/softflowd ] || { echo "softflowd is needed: apt-get install softflowd" >&2; exit 1; }
[ -f "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
CP="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*"
mkdir -p "$B"
W=$(mktemp -d)
PIDS=()
OLD_RMEM=$(cat /proc/sys/net/core/rmem_max)
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$W";
            echo "$OLD_RMEM" > /proc/sys/net/core/rmem_max 2>/dev/null || true; }
trap cleanup EXIT
# both daemons ask for 64 MiB of socket buffer; the kernel grants it only up to rmem_max
echo 67108864 > /proc/sys/net/core/rmem_max 2>/dev/null || echo "note: cannot raise net.core.rmem_max (not root)" >&2

gcc -O2 -o "$W/flowreplay" "$ROOT/bench/native/flowreplay.c"
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
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
flows_in_table() { # $1 client, $2 socket
  $1 -p "$2" -s -O csv 2>/dev/null | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "FLOWS") c = i; next }
                                                c { s += $c } END { print s + 0 }'
}
# $1 name, $2 daemon, $3 client, $4 stream, $5 rate
step() {
  local name=$1 daemon=$2 client=$3 stream=$4 rate=$5 port=$((24000 + RANDOM % 1000))
  local sock="$W/$name.pipe"
  conf "$port" "$sock" > "$W/$name.conf"
  $daemon -f "$W/$name.conf" > "$W/$name.log" 2>&1 & local pid=$!
  PIDS+=($pid)
  until grep -q "waiting for NetFlow" "$W/$name.log"; do sleep 0.2; done
  sleep 1
  local jpid; jpid=$(pgrep -f -n "$W/$name.conf" || echo "$pid")
  local t0; t0=$(cpu_ticks "$jpid")
  local sent; sent=$("$W/flowreplay" "$stream" "$port" 127.0.0.2 "$rate" "$SECONDS_PER_STEP" | awk '{print $4}')
  local prev=-1 now=0
  while true; do sleep 2; now=$(flows_in_table "$client" "$sock"); [ "$now" = "$prev" ] && break; prev=$now; done
  local t1; t1=$(cpu_ticks "$jpid")
  kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  local hz; hz=$(getconf CLK_TCK)
  awk -v n="$name" -v r="$rate" -v s="$sent" -v a="$now" -v c="$(( t1 - t0 ))" -v hz="$hz" -v secs="$SECONDS_PER_STEP" \
    'BEGIN { lost = s - a; printf "%-22s offered %8d rec/s  sent %9d  accounted %9d  lost %8d (%.2f%%)  CPU %.2f s = %.2f s per 1M records\n",
             n, r, s, a, lost, s ? 100 * lost / s : 0, c / hz, a ? (c / hz) / (a / 1e6) : 0 }'
}
for v in 9 10; do
  echo "== NetFlow v$v stream ($(( $(stat -c %s "$B/stream-v$v.bin") / 1024 )) KiB)"
  for r in $RATES_PMACCT; do step "pmacct-v$v" /usr/sbin/nfacctd /usr/bin/pmacct "$B/stream-v$v.bin" "$r"; done
  for r in $RATES_JPMACCT; do step "jpmacct-v$v" "$ROOT/bin/nfacctd" "$ROOT/bin/pmacct" "$B/stream-v$v.bin" "$r"; done
done
