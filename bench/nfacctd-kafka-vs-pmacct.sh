#!/usr/bin/env bash
# nfacctd into Kafka, jpmacct next to pmacct 1.7.7: flow records per second delivered to a broker on this machine
# with nothing lost end to end, and the CPU per million records. The stream is softflowd's NetFlow v9 export of a
# capture of ~1.17M distinct 5-tuples (one record each), sent once by bench/native/flowreplay at RATE records/s;
# the kafka plugin aggregates the 5-tuple with a 1 s refresh, so every record becomes one JSON message. A consumer
# counts the messages on the topic (and their packets) until the topic is quiet, against the records sent.
#   bench/nfacctd-kafka-vs-pmacct.sh     RATES_PMACCT, RATES_JPMACCT (records/s), OUTPUTS ("json avro") override;
#   MULTI_VALUES=BYTES joins records into messages of up to that size (kafka_multi_values, both daemons; JSON only);
#   WARMUP=1 sends the stream once before each measured pass (left out of the counts and the CPU)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
RATES_PMACCT="${RATES_PMACCT-25000 50000 100000}"
RATES_JPMACCT="${RATES_JPMACCT-300000 500000 750000 1000000}"
ROUNDS="${ROUNDS:-1}"
command -v nfacctd >/dev/null || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
command -v softflowd >/dev/null || [ -x /usr/sbin/softflowd ] || { echo "softflowd is needed: apt-get install softflowd" >&2; exit 1; }
[ -d "$ROOT/kafka-broker/target/lib" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
# the collectors' bench setup: B, CP, the scratch directory W, PIDS killed at exit, rmem_max, flowreplay
source "$ROOT/bench/lib/collector-steps.sh"
KCP="$(ls "$ROOT"/kafka-broker/target/kafka-broker-*.jar | head -1):$ROOT/kafka-broker/target/lib/*"

if [ ! -f "$B/unique2m-v9.bin" ]; then
  [ -f "$B/unique2m.pcap" ] || java -cp "$CP" jpmacct.bench.GenPcap "$B/unique2m.pcap" 2000000 2000000 7 every
  java -cp "$CP" jpmacct.bench.RecordStream "$B/unique2m-v9.bin" 23457 & rec=$!
  sleep 2
  softflowd -r "$B/unique2m.pcap" -n 127.0.0.1:23457 -v 9 -d -m 3000000 > /dev/null
  wait $rec
fi
RECORDS=$(python3 -c 'import struct,sys
d=open(sys.argv[1],"rb").read(); i=n=0
while i < len(d):
    l, r = struct.unpack_from(">HH", d, i); n += r; i += 4 + l
print(n)' "$B/unique2m-v9.bin")

KPORT=$((29000 + RANDOM % 500))
java -Xmx1g -cp "$KCP" jpmacct.kafkabroker.KafkaBroker --port "$KPORT" --dir "$W/kafka" > "$W/kafka.log" 2>&1 & PIDS+=($!)
until grep -q "Kafka Server started" "$W/kafka.log"; do sleep 0.5; done

conf() { # $1 port, $2 topic, $3 output
  cat <<CONF
daemonize: false
nfacctd_ip: 127.0.0.1
nfacctd_port: $1
nfacctd_pipe_size: 67108864
plugins: kafka[k]
aggregate[k]: src_host, dst_host, src_port, dst_port, proto
kafka_broker_host[k]: 127.0.0.1
kafka_broker_port[k]: $KPORT
kafka_topic[k]: $2
kafka_refresh_time[k]: 1
kafka_output[k]: $3
plugin_buffer_size: 102400
plugin_pipe_size: 268435456
CONF
  [ -n "${MULTI_VALUES:-}" ] && echo "kafka_multi_values[k]: $MULTI_VALUES"
  return 0
}
cpu_ticks() { # a process and its children, with the children they reaped (pmacct's kafka plugin forks a writer per purge)
  local t=0
  for p in $1 $(pgrep -P "$1") $(for c in $(pgrep -P "$1"); do pgrep -P "$c"; done); do
    t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}' || echo 0))); done
  echo "$t"
}
# $1 name, $2 daemon, $3 rate, $4 output
step() {
  local name=$1 daemon=$2 rate=$3 output=$4 port=$((24000 + RANDOM % 1000)) topic="bench.$1.$3.$RANDOM"
  conf "$port" "$topic" "$output" > "$W/$name.conf"
  $daemon -f "$W/$name.conf" > "$W/$name.log" 2>&1 & local pid=$!
  PIDS+=($pid)
  until grep -q "waiting for NetFlow" "$W/$name.log"; do sleep 0.2; done
  sleep 1
  local jpid; jpid=$(pgrep -f -n "$W/$name.conf" || echo "$pid")
  local secs; secs=$(( (RECORDS + rate - 1) / rate ))
  local from=
  if [ -n "${WARMUP:-}" ]; then # the stream once before, its messages left out: a long-running daemon's state
    java -cp "$KCP:$CP" jpmacct.bench.KafkaCount 127.0.0.1:$KPORT "$topic" 5 > "$W/$name.warm" & local warm=$!
    until grep -q '^ready' "$W/$name.warm"; do sleep 0.2; done
    "$W/flowreplay" "$B/unique2m-v9.bin" "$port" 127.0.0.2 "$rate" "$secs" > /dev/null
    wait $warm
    from=from-end
  fi
  java -cp "$KCP:$CP" jpmacct.bench.KafkaCount 127.0.0.1:$KPORT "$topic" 10 $from > "$W/$name.count" & local counter=$!
  until grep -q '^ready' "$W/$name.count"; do sleep 0.2; done
  local t0; t0=$(cpu_ticks "$jpid"); local w0; w0=$(date +%s.%N)
  local sent; sent=$("$W/flowreplay" "$B/unique2m-v9.bin" "$port" 127.0.0.2 "$rate" "$secs" | awk '{print $4}')
  wait $counter
  local t1; t1=$(cpu_ticks "$jpid"); local w1; w1=$(date +%s.%N)
  [ -n "${SHOW_THREADS:-}" ] && for p in $jpid $(pgrep -P "$jpid"); do ps -L -o pid,tid,time,comm -p "$p" | sort -k3 | tail -"$SHOW_THREADS"; done
  kill -INT "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  local hz; hz=$(getconf CLK_TCK)
  read -r msgs span bytes messages < <(grep -E "^[0-9]+ [0-9.]+ [0-9]+ [0-9]+$" "$W/$name.count" | tail -1)
  awk -v n="$name" -v o="$output" -v r="$rate" -v s="$sent" -v a="$msgs" -v sp="$span" -v by="$bytes" -v m="$messages" -v c="$(( t1 - t0 ))" -v hz="$hz" \
    -v wall="$(awk -v a="$w0" -v b="$w1" 'BEGIN { print b - a }')" 'BEGIN { lost = s - a; printf "%-8s %-5s offered %8d rec/s  sent %8d  delivered %8d  lost %7d (%.2f%%)  delivered/s %8.0f  %5.1f B/msg (%d msgs)  wall %.1f s  CPU %.2f s = %.2f s per 1M records\n",
             n, o, r, s, a, lost, s ? 100 * lost / s : 0, (sp > 0 ? a / sp : 0), (m ? by / m : 0), m, wall, c / hz, a ? (c / hz) / (a / 1e6) : 0 }'
}
echo "== NetFlow v9, $RECORDS distinct records, once per step; broker on 127.0.0.1:$KPORT"
for round in $(seq "$ROUNDS"); do
  for output in ${OUTPUTS:-json}; do
    if [ "$output" = json ]; then
      for r in $RATES_PMACCT; do step pmacct /usr/sbin/nfacctd "$r" json; done
    fi
    for r in $RATES_JPMACCT; do step jpmacct "$ROOT/bin/nfacctd" "$r" "$output"; done
  done
done
