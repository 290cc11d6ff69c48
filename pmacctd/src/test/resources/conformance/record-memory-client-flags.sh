#!/usr/bin/env bash
# Records golden/<pcap>/memory_client_flags from pmacct 1.7.7 (pmacctd and pmacct on the PATH): the client flags
# memory_5tuple does not record (event formats, -E, -M lists and file: lists, -n flows, -a with JSON, -e joined to
# -s and -N), on memory_5tuple's configuration. MemoryConformanceTest replays cmd.txt against bin/pmacct.
#   record-memory-client-flags.sh edge|small
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
PCAP="$1"
case "$PCAP" in
  edge) A=10.1.1.1; B=10.2.2.6 ;;        # the hosts memory_5tuple's -N queries use
  small) A=192.168.1.5; B=192.168.1.10 ;;
  *) echo "usage: $0 edge|small" >&2; exit 2 ;;
esac
OUT="$HERE/golden/$PCAP/memory_client_flags"
W=$(mktemp -d)
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT
if [ -f "$HERE/inputs/$PCAP.pcap" ]; then cp "$HERE/inputs/$PCAP.pcap" "$W/input.pcap"; else zcat "$HERE/inputs/$PCAP.pcap.gz" > "$W/input.pcap"; fi
mkdir -p "$OUT"
sed '1s/.*/! memory plugin (imt), the client flags memory_5tuple does not record; same configuration/' \
  "$HERE/golden/$PCAP/memory_5tuple/pmacctd.conf" > "$OUT/pmacctd.conf"
printf '! two source hosts, one a line\n%s\n\n%s\n' "$A" "$B" > "$OUT/hosts.lst"
cp "$OUT/pmacctd.conf" "$OUT/hosts.lst" "$W/"
cd "$W"
export TZ=UTC LC_ALL=C
pmacctd -f pmacctd.conf > pmacctd.log 2>&1 & PID=$!
until grep -q "finished reading PCAP" pmacctd.log; do sleep 0.5; done
sleep 3   # pmacct's plugin drains its ring after the core finishes
# name|arguments as typed in a shell|normalisation (see MemoryConformanceTest)
QUERIES=(
  "s_event_formatted.out|-s -O event_formatted|formatted"
  "s_event_csv.out|-s -O event_csv|csv"
  "s_csv_semicolon.out|-s -O csv -E ';'|csv"
  "s_csv_tab.out|-s -O csv -E '\\t'|csv"
  "s_all_fields_json.out|-s -a -O json|lines"
  "M_two_hosts_csv.out|-c src_host -M '$A;$B' -O csv|csv"
  "M_file_hosts_csv.out|-c src_host -M file:hosts.lst -O csv|csv"
  "M_two_hosts_event_csv.out|-c src_host -M '$A;$B' -O event_csv -E ';'|csv"
  "N_two_hosts_flows.out|-c src_host -N '$A;$B' -n flows|raw"
  "N_file_hosts_packets.out|-c src_host -N file:hosts.lst -n packets|raw"
  "s_csv_then_erase.out|-s -O csv -e|csv"
  "s_after_read_and_erase.out|-s|formatted"
  "N_erase.out|-c src_host -N $A -e|raw"
)
{
  echo "# $PCAP/memory_client_flags: recorded by record-memory-client-flags.sh from $(pmacctd -V 2>&1 | head -1)"
  echo "# run directory: input.pcap -> $PCAP.pcap (see inputs), hosts.lst beside pmacctd.conf; environment: TZ=UTC LC_ALL=C"
  echo "pmacctd -f pmacctd.conf &   # pcap_savefile_wait keeps it alive after EOF"
  echo "# queries, in this order (the last three clear the table):"
} > "$OUT/cmd.txt"
for q in "${QUERIES[@]}"; do
  IFS='|' read -r name args mode <<< "$q"
  eval "pmacct -p imt.pipe $args" > "$OUT/$name"
  echo "pmacct -p imt.pipe $args > $name    # normalisation: $mode" >> "$OUT/cmd.txt"
done
