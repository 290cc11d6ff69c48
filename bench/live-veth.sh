#!/usr/bin/env bash
# Live capture rate: a network namespace sends frames as fast as it can into a veth; bin/pmacctd captures the
# other end (print plugin, 5-tuple) and must account every frame. Prints the send rate, the kernel's drop
# counter and what pmacctd accounted. Needs root.
#   bench/live-veth.sh [frames] [mix|min]     (default 5000000 min: 64-byte frames, 65536 flows)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
FRAMES="${1:-5000000}"
KIND="${2:-min}"
W=$(mktemp -d)
NS="jpmbench$$"
cleanup() { ip netns del "$NS" 2>/dev/null || true; ip link del "vh$$" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
[ -f "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
CP="$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*"
gcc -O2 -o "$W/blast" "$ROOT/bench/native/blast.c"
java -cp "$CP" jpmacct.bench.GenPcap "$W/frames.pcap" 65536 65536 7 "$KIND"
ip netns add "$NS"
ip link add "vh$$" type veth peer name vn netns "$NS"
ip link set "vh$$" up
ip netns exec "$NS" ip link set vn up
sysctl -q -w "net.ipv6.conf.vh$$.disable_ipv6=1"
cat > "$W/p.conf" <<CONF
interface: vh$$
pidfile: $W/p.pid
plugins: print[p]
aggregate[p]: src_host, dst_host, src_port, dst_port, proto
print_output[p]: csv
print_output_file[p]: $W/out.csv
print_refresh_time[p]: 3600
plugin_pipe_size: 67108864
CONF
"$ROOT/bin/pmacctd" -f "$W/p.conf" > "$W/stdout" 2> "$W/stderr" &
for _ in $(seq 1 100); do [ -f "$W/p.pid" ] && break; sleep 0.1; done
sleep 1
ip netns exec "$NS" "$W/blast" vn "$W/frames.pcap" "$FRAMES"
sleep 3
kill -TERM "$(cat "$W/p.pid")"
wait
grep -E "link type|pcap stats|CPU time|queue full" "$W/stderr" || true
awk -F, 'NR>1 {p+=$(NF-1)} END {print "accounted " p+0 " of '"$FRAMES"' frames sent"}' "$W/out.csv"
