# Sourced by the bench scripts: on a shared machine, IDLE=90 makes wait_idle wait (at most about 10 minutes)
# until the CPUs were at least 90% idle over one second, so that other jobs disturb a run as little as possible.
idle_pct() { # CPU idle percentage over one second, from /proc/stat
  local a b; a=($(head -1 /proc/stat)); sleep 1; b=($(head -1 /proc/stat))
  local total=0 i; for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  echo $(( 100 * (b[4] - a[4]) / (total > 0 ? total : 1) ))
}
wait_idle() {
  [ -n "${IDLE:-}" ] || return 0
  local tries=0
  while [ "$(idle_pct)" -lt "$IDLE" ] && [ $tries -lt 600 ]; do tries=$((tries + 1)); done
}
