#!/usr/bin/env bash
# nfacctd + tee: datagrams per second replicated to two receivers (one pool, both get every datagram), jpmacct next
# to pmacct 1.7.7 (/usr/sbin/nfacctd, when installed). The stream is softflowd's NetFlow v9 export from the
# conformance vectors, looped by bench/native/flowreplay with continuous sequence numbers; two bench/native/udpsink
# count what arrives. Each step offers RATE datagrams/s for SECONDS and reports what each receiver got and the
# CPU the daemon used.
#   bench/tee-throughput.sh        RATES (datagrams/s), STEP_SECONDS, DAEMONS ("jpmacct pmacct"), KEEP_LOGS (a directory) override
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
SECONDS_PER_STEP="${STEP_SECONDS:-10}"
RATES="${RATES-20000 40000 60000 80000}"
DAEMONS="${DAEMONS-jpmacct pmacct}"
PCAP="$ROOT/e2e/src/test/resources/collector/vectors/softflowd-v9/export.pcap"
[ -x "$ROOT/bin/nfacctd" ] && [ -d "$ROOT/dist/target/lib" ] || (cd "$ROOT" && mvn -q -B -o -DskipTests package)
W=$(mktemp -d)
PIDS=()
OLD_RMEM=$(cat /proc/sys/net/core/rmem_max)
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; rm -rf "$W";
            echo "$OLD_RMEM" > /proc/sys/net/core/rmem_max 2>/dev/null || true; }
trap cleanup EXIT
# the daemons and sinks ask for 64 MiB of socket buffer; the kernel grants it only up to rmem_max
echo 67108864 > /proc/sys/net/core/rmem_max 2>/dev/null || echo "note: cannot raise net.core.rmem_max (not root)" >&2
gcc -O2 -o "$W/flowreplay" "$ROOT/bench/native/flowreplay.c"
gcc -O2 -o "$W/udpsink" "$ROOT/bench/native/udpsink.c"
# the capture's UDP payloads as flowreplay's stream: [u16 length][u16 records][payload], records = v9 count
python3 - "$PCAP" "$W/stream.bin" <<'PY'
import struct, sys
data = open(sys.argv[1], 'rb').read()
magic = struct.unpack('<I', data[:4])[0]
end = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
off, out = 24, bytearray()
while off + 16 <= len(data):
    _, _, caplen, _ = struct.unpack(end + 'IIII', data[off:off + 16])
    frame = data[off + 16:off + 16 + caplen]
    off += 16 + caplen
    ip = 14 if frame[12:14] == b'\x08\x00' else None
    if ip is None or frame[ip + 9] != 17:
        continue
    udp = ip + (frame[ip] & 15) * 4
    payload = frame[udp + 8:]
    out += struct.pack('>HH', len(payload), struct.unpack('>H', payload[2:4])[0]) + payload
open(sys.argv[2], 'wb').write(out)
PY
records_per_datagram=$(python3 -c "
import struct; d=open('$W/stream.bin','rb').read(); o=n=r=0
while o < len(d):
    l, c = struct.unpack('>HH', d[o:o+4]); o += 4 + l; n += 1; r += c
print(r / n)")

cpu_ticks() { local t=0; for p in $1 $(pgrep -P "$1"); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0))); done; echo "$t"; }

# $1 name, $2 daemon binary, $3 rate (datagrams/s)
step() {
  local name=$1 daemon=$2 rate=$3 port=$((25000 + RANDOM % 1000)) r1=$((26000 + RANDOM % 500)) r2=$((26500 + RANDOM % 500))
  "$W/udpsink" "$r1" > "$W/sink1" & local s1=$!; PIDS+=($s1)
  "$W/udpsink" "$r2" > "$W/sink2" & local s2=$!; PIDS+=($s2)
  printf 'id=1 ip=127.0.0.1:%s,127.0.0.1:%s\n' "$r1" "$r2" > "$W/receivers.lst"
  cat > "$W/$name.conf" <<CONF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $port
nfacctd_pipe_size: 67108864
plugins: tee[fanout]
tee_receivers[fanout]: $W/receivers.lst
tee_transparent[fanout]: false
tee_pipe_size[fanout]: 67108864
plugin_pipe_size[fanout]: 67108864
CONF
  $daemon -f "$W/$name.conf" > "$W/$name.log" 2>&1 & local pid=$!; PIDS+=($pid)
  until grep -q "waiting for NetFlow" "$W/$name.log"; do sleep 0.2; done
  sleep 1
  local jpid; jpid=$(pgrep -f -n "$W/$name.conf" || echo "$pid")
  local t0; t0=$(cpu_ticks "$jpid")
  local records; records=$(awk -v r="$rate" -v k="$records_per_datagram" 'BEGIN { printf "%d", r * k }')
  local sent; sent=$("$W/flowreplay" "$W/stream.bin" "$port" 127.0.0.2 "$records" "$SECONDS_PER_STEP" | awk '{print $2}')
  sleep 3
  local t1; t1=$(cpu_ticks "$jpid")
  kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  kill -INT "$s1" "$s2"; wait "$s1" "$s2" 2>/dev/null || true
  [ -n "${KEEP_LOGS:-}" ] && cp "$W/$name.log" "$KEEP_LOGS/$name-$rate.log"
  local got1 got2; got1=$(awk '/^datagrams/ {print $2}' "$W/sink1"); got2=$(awk '/^datagrams/ {print $2}' "$W/sink2")
  awk -v n="$name" -v r="$rate" -v s="$sent" -v a="$got1" -v b="$got2" -v c="$(( t1 - t0 ))" -v hz="$(getconf CLK_TCK)" \
      -v secs="$SECONDS_PER_STEP" 'BEGIN {
    lost = 2 * s - a - b
    printf "%-8s offered %7d dgram/s  sent %8d  receiver1 %8d  receiver2 %8d  lost %7d (%.2f%%)  CPU %.2f s = %.1f us per datagram\n",
           n, r, s, a, b, lost, s ? 50 * lost / s : 0, c / hz, s ? 1e6 * (c / hz) / s : 0 }'
}
echo "== softflowd NetFlow v9 stream, $(printf '%.1f' "$records_per_datagram") records per datagram; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for d in $DAEMONS; do
  case $d in
    jpmacct) bin="$ROOT/bin/nfacctd" ;;
    pmacct) bin=/usr/sbin/nfacctd; [ -x "$bin" ] || { echo "pmacct: /usr/sbin/nfacctd not installed, skipped"; continue; } ;;
  esac
  for r in $RATES; do step "$d" "$bin" "$r"; done
done
