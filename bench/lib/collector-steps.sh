# Sourced by bench/sfacctd-vs-pmacct.sh (and meant for the other collector benchmarks): a scratch directory, a larger
# net.core.rmem_max while the script runs, flowreplay, and step(), which offers one rate to one collector and
# counts what its memory table accounted (the flows primitive) against what was sent.
# The sourcing script sets ROOT, SECONDS_PER_STEP and defines conf PORT SOCKET (the daemon's configuration) and
# WAITING (what the daemon logs once it listens); WARMUP_SECONDS at WARMUP_RATE, when set, are sent before each
# step and left out of its counts (a JVM compiles its hot code in its first seconds).
B=/tmp/jpmacct-bench
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

# user + system ticks of every process of the daemon (pmacct forks one per plugin; jpmacct is one JVM)
cpu_ticks() { local t=0 p; for p in $1; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo $t; }
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
  until grep -q "$WAITING" "$W/$name.log"; do sleep 0.2; done
  sleep 1
  local jpid; jpid=$(pgrep -f "$W/$name.conf" | tr '\n' ' ' || echo "$pid")
  local base=0
  if [ "${WARMUP_SECONDS:-0}" != 0 ]; then
    "$W/flowreplay" "$stream" "$port" 127.0.0.2 "$WARMUP_RATE" "$WARMUP_SECONDS" > /dev/null
    local was=-1
    while true; do sleep 2; base=$(flows_in_table "$client" "$sock"); [ "$base" = "$was" ] && break; was=$base; done
  fi
  local t0; t0=$(cpu_ticks "$jpid")
  local sent; sent=$("$W/flowreplay" "$stream" "$port" 127.0.0.2 "$rate" "$SECONDS_PER_STEP" | awk '{print $4}')
  local prev=-1 now=0
  while true; do sleep 2; now=$(flows_in_table "$client" "$sock"); [ "$now" = "$prev" ] && break; prev=$now; done
  local t1; t1=$(cpu_ticks "$jpid")
  now=$(( now - base ))
  kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  local hz; hz=$(getconf CLK_TCK)
  awk -v n="$name" -v r="$rate" -v s="$sent" -v a="$now" -v c="$(( t1 - t0 ))" -v hz="$hz" -v secs="$SECONDS_PER_STEP" \
    'BEGIN { lost = s - a; printf "%-22s offered %8d rec/s  sent %9d  accounted %9d  lost %8d (%.2f%%)  CPU %.2f s = %.2f s per 1M records\n",
             n, r, s, a, lost, s ? 100 * lost / s : 0, c / hz, a ? (c / hz) / (a / 1e6) : 0 }'
}
