#!/usr/bin/env bash
# SQL plugins, jpmacct next to pmacct 1.7.7: one purge of 100,000 distinct keys (src_host, dst_host, src_port,
# dst_port, proto into a version-1 table, hourly bins), into an empty table (all new rows) and again into the filled
# table (all existing rows), for sqlite3, mysql (this machine's MariaDB) and pgsql (its PostgreSQL). Prints rows per second of the
# purge as each daemon logs it (pmacct: ET in whole seconds; jpmacct: milliseconds).
#   bench/sql-vs-pmacct.sh        (generates /tmp/jpmacct-bench/keys100k.pcap: 200k packets, every one of 100k flows)
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
PCAP=/tmp/jpmacct-bench/keys100k.pcap
command -v pmacctd >/dev/null || { echo "pmacct 1.7.7 is needed: apt-get install pmacct" >&2; exit 1; }
[ -f "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar" ] || (cd "$ROOT" && mvn -q -B -DskipTests package)
if [ ! -f "$PCAP" ]; then
  mkdir -p "$(dirname "$PCAP")"
  java -cp "$ROOT/bench/target/bench-0.1.0-SNAPSHOT.jar:$ROOT/bench/target/lib/*" jpmacct.bench.GenPcap "$PCAP" 200000 100000 5 every
fi
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DB=jpmbench
# pmacct's default user and password, for both daemons
mariadb -h 127.0.0.1 -u root -e "CREATE USER IF NOT EXISTS 'pmacct'@'%' IDENTIFIED BY 'arealsmartpwd'; GRANT ALL ON $DB.* TO 'pmacct'@'%';"
psql -q -h 127.0.0.1 -U postgres -d postgres -c "DO \$\$BEGIN CREATE ROLE pmacct LOGIN PASSWORD 'arealsmartpwd'; EXCEPTION WHEN duplicate_object THEN NULL; END\$\$;"

fresh_table() { # $1 = type
  case $1 in
    sqlite3) rm -f "$W/pmacct.db"; sqlite_script | python3 -c "import sqlite3,sys; c=sqlite3.connect('$W/pmacct.db'); c.executescript(sys.stdin.read()); c.commit()" ;;
    mysql) sed "s/ pmacct;/ $DB;/" "$ROOT/sql/pmacct-create-db_v1.mysql" | mariadb -h 127.0.0.1 -u root ;;
    pgsql) psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB OWNER pmacct"
           psql -q -h 127.0.0.1 -U pmacct -d $DB -f "$ROOT/sql/pmacct-create-table_v1.pgsql" > /dev/null 2>&1 ;;
  esac
}
sqlite_script() { cat "$ROOT/sql/pmacct-create-table_v1.sqlite3"; }
conf() { # $1 = type
  echo "pcap_savefile: $PCAP"
  echo "plugins: $1[b]"
  echo "aggregate[b]: src_host, dst_host, src_port, dst_port, proto"
  echo "sql_table_version[b]: 1"
  echo "sql_refresh_time[b]: 3600"
  echo "sql_history[b]: 1h"
  echo "sql_history_roundoff[b]: h"
  echo "sql_cache_entries[b]: 200003"
  echo "plugin_buffer_size: 102400"
  echo "plugin_pipe_size: 104857600"
  if [ "$1" = sqlite3 ]; then echo "sql_db[b]: $W/pmacct.db"; else echo "sql_db[b]: $DB"; echo "sql_host[b]: 127.0.0.1"; fi
  echo "sql_journal[b]: $W/b.journal"
}
purge_seconds() { # $1 = log: pmacct's "ET: N" (seconds) or jpmacct's "ET: N ms"
  if grep -q 'ET: [0-9]* ms' "$1"; then grep -o 'ET: [0-9]* ms' "$1" | tail -1 | awk '{print $2 / 1000}'
  else grep -o 'ET: [0-9]*' "$1" | tail -1 | awk '{print $2}'; fi
}
run() { # $1 = name, $2 = type, $3 = command
  conf "$2" | grep -v '^sql_journal' > "$W/pm.conf"
  conf "$2" > "$W/jp.conf"
  local c="$W/jp.conf"; [ "$1" = pmacct ] && c="$W/pm.conf"
  $3 -f "$c" > "$W/log" 2>&1
  purge_seconds "$W/log"
}
"$ROOT/bin/pmacctd" -V > /dev/null 2>&1 || true
echo "100,000 rows per purge; rows/s = 100000 / purge seconds (pmacct's are whole seconds: 0 means under 1 s)"
for type in sqlite3 mysql pgsql; do
  for name in pmacct jpmacct; do
    cmd=pmacctd; [ $name = jpmacct ] && cmd="$ROOT/bin/pmacctd"
    fresh_table $type
    ins=$(run $name $type "$cmd")
    upd=$(run $name $type "$cmd")
    printf "%-8s %-8s insert purge %6s s (%8.0f rows/s)   update purge %6s s (%8.0f rows/s)\n" "$type" "$name" \
      "$ins" "$(echo "100000 / ($ins + 0.0001)" | bc -l)" "$upd" "$(echo "100000 / ($upd + 0.0001)" | bc -l)"
  done
done
