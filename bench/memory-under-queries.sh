#!/usr/bin/env bash
# Does querying the memory plugin slow ingestion? pmacctd reads the 5M-packet capture (50k flows, 5-tuple) into a
# memory plugin, once alone and once while CLIENTS (default 4) connections ask for the whole table (-s, CSV) in a
# loop over the raw socket protocol (no client JVM start-up in the measurement), each pausing PAUSE seconds
# (default 0: back to back) between queries. Prints the ingestion wall time, the queries answered meanwhile and the
# packets accounted.
#   bench/memory-under-queries.sh [capture.pcap]    (default: /tmp/jpmacct-bench/big5m.pcap, see savefile-vs-pmacct.sh)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
PCAP="${1:-/tmp/jpmacct-bench/big5m.pcap}"
CLIENTS="${CLIENTS:-4}"
PAUSE="${PAUSE:-0}"
[ -f "$PCAP" ] || { echo "no $PCAP: run bench/savefile-vs-pmacct.sh once to generate it" >&2; exit 1; }
W=$(mktemp -d)
trap 'pkill -f "$W" 2>/dev/null || true; rm -rf "$W"' EXIT
cat > "$W/p.conf" <<CONF
pcap_savefile: $PCAP
pcap_savefile_wait: true
plugins: memory[m]
aggregate[m]: src_host, dst_host, src_port, dst_port, proto
imt_path[m]: $W/imt.pipe
CONF
cat > "$W/load.py" <<'PY'
import socket, struct, sys, threading, time
path, clients, stop, pause = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
req = b"op=show\noutput=csv\n"
frame = b"JPMI" + bytes([1]) + struct.pack(">I", len(req)) + req
done = [0]
def loop():
    import os
    while not os.path.exists(stop):
        try:
            s = socket.socket(socket.AF_UNIX); s.connect(path); s.sendall(frame)
            while s.recv(1 << 16): pass
            s.close(); done[0] += 1
            time.sleep(pause)
        except OSError:
            time.sleep(0.01)
ts = [threading.Thread(target=loop) for _ in range(clients)]
for t in ts: t.start()
for t in ts: t.join()
print(done[0])
PY
run() { # $1 = clients
  rm -f "$W/imt.pipe" "$W/stop" "$W/log"
  local start; start=$(date +%s.%N)
  "$ROOT/bin/pmacctd" -f "$W/p.conf" > "$W/log" 2>&1 &
  local pid=$!
  if [ "$1" -gt 0 ]; then python3 "$W/load.py" "$W/imt.pipe" "$1" "$W/stop" "$PAUSE" > "$W/queries" & fi
  until grep -q "savefile done" "$W/log"; do sleep 0.05; done
  local end; end=$(date +%s.%N)
  touch "$W/stop"; wait %2 2>/dev/null || true
  local total; total=$("$ROOT/bin/pmacct" -p "$W/imt.pipe" -s -O csv | awk -F, 'NR>1 {p+=$(NF-1)} END {print p}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf "clients %d: ingestion %.2f s, queries answered meanwhile %s, packets accounted %s\n" "$1" \
    "$(echo "$end - $start" | bc)" "$( [ "$1" -gt 0 ] && cat "$W/queries" || echo 0)" "$total"
}
"$ROOT/bin/pmacctd" -V > /dev/null 2>&1 || true
for i in 1 2 3; do run 0; run "$CLIENTS"; done
