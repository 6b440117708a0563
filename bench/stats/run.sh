#!/usr/bin/env bash
# Stats cost: dockwatch's one-shot polling against `docker stats` streaming, same containers, same run.
#
#   N idle busybox containers (default 200) on a private dockerd
#   phase idle      nobody reads stats                       D seconds (default 90)
#   phase dockwatch the collector, stats only, every 10 s     D seconds
#   phase stream    `docker stats` streaming all N            D seconds
#
# CPU is read from /proc/PID/stat (utime+stime) at the start and end of each phase and shown as
# percent of one core: the reader (the collector, or the docker CLI), dockerd, its containerd,
# and its containerd-shim processes together. The phases run one after the other, so each daemon
# number belongs to one reader. The daemon is a private dockerd (own data root, socket and
# bridge), so the machine's shared daemon and whatever else it serves stay out of the numbers;
# BENCH_DOCKER_HOST=unix:///var/run/docker.sock measures an existing daemon instead (its dockerd
# and containerd numbers then include everything else it does).
#
# Needs root, a built jar (mvn -B -q package -DskipTests) and the test image (scripts/test-env.sh).
#
#   bash bench/stats/run.sh [containers] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-200}"
D="${2:-90}"
INTERVAL="${BENCH_INTERVAL:-10s}"
WARMUP="${BENCH_WARMUP:-25}"
# BENCH_JAVA_OPTS: JVM options added after jvm.options, e.g. -XX:TieredStopAtLevel=1
IMAGE=dockwatch-test/busybox:latest
RUN="bench-stats-$(date +%s)"
WORK="$(mktemp -d)"
HZ="$(getconf CLK_TCK)"
PRIVATE="$WORK/docker"
BRIDGE="dwbench0"
COLLECTOR_PID=""
STREAM_PID=""
DOCKERD_PID=""

if [ -n "${BENCH_DOCKER_HOST:-}" ]; then
  HOST="$BENCH_DOCKER_HOST"
else
  HOST="unix://$PRIVATE/docker.sock"
fi
dk() { docker -H "$HOST" "$@"; }

cleanup() {
  [ -n "$COLLECTOR_PID" ] && kill "$COLLECTOR_PID" 2>/dev/null || true
  [ -n "$STREAM_PID" ] && kill -KILL "$STREAM_PID" 2>/dev/null || true
  dk ps -aq --filter "label=$RUN" 2>/dev/null | xargs -r docker -H "$HOST" rm -f >/dev/null 2>&1 || true
  if [ -n "$DOCKERD_PID" ]; then
    kill "$DOCKERD_PID" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$DOCKERD_PID" 2>/dev/null || break; sleep 0.5; done
    ip link del "$BRIDGE" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

if [ -z "${BENCH_DOCKER_HOST:-}" ]; then
  mkdir -p "$PRIVATE"
  # its own bridge, so containers have a network (and network stats) without touching docker0
  ip link add "$BRIDGE" type bridge
  ip addr add 10.213.0.1/16 dev "$BRIDGE"
  ip link set "$BRIDGE" up
  dockerd --data-root "$PRIVATE/data" --exec-root "$PRIVATE/exec" -H "$HOST" --pidfile "$PRIVATE/docker.pid" \
    --bridge="$BRIDGE" --iptables=false --ip-masq=false --ip-forward=false >"$WORK/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  for _ in $(seq 1 60); do dk version >/dev/null 2>&1 && break; sleep 0.5; done
  docker save "$IMAGE" | dk load >/dev/null
fi

dockerd_pid() { if [ -n "$DOCKERD_PID" ]; then echo "$DOCKERD_PID"; else pgrep -x dockerd | head -1; fi; }
containerd_pid() {
  if [ -n "$DOCKERD_PID" ]; then pgrep -f "containerd --config $PRIVATE/exec" | head -1; else pgrep -x containerd | head -1; fi
}
shim_pids() {
  if [ -n "$DOCKERD_PID" ]; then pgrep -f "containerd-shim.*-address $PRIVATE/exec" | tr '\n' ' '; else pgrep -f containerd-shim | tr '\n' ' '; fi
}

# Sum of utime+stime (clock ticks) of the given PIDs; a PID that is gone counts 0.
ticks() {
  local sum=0 pid f
  for pid in "$@"; do
    if f="$(cat "/proc/$pid/stat" 2>/dev/null)"; then
      # fields after the ")" of the command name: utime is the 12th, stime the 13th
      set -- ${f##*) }
      sum=$((sum + ${12} + ${13}))
    fi
  done
  echo "$sum"
}

percent() { awk -v t="$1" -v hz="$HZ" -v d="$2" 'BEGIN { printf "%.2f", t / hz / d * 100 }'; }

# measure NAME [READER_PID]: one phase of D seconds; prints a table row
measure() {
  local name="$1" reader="${2:-}"
  local d c s r0 d0 c0 s0 t0 r1 d1 c1 s1 t1 secs
  d="$(dockerd_pid)"; c="$(containerd_pid)"; s="$(shim_pids)"
  r0=0; [ -n "$reader" ] && r0=$(ticks "$reader")
  d0=$(ticks "$d"); c0=$(ticks "$c"); s0=$(ticks $s); t0=$(date +%s.%N)
  sleep "$D"
  r1=0; [ -n "$reader" ] && r1=$(ticks "$reader")
  d1=$(ticks "$d"); c1=$(ticks "$c"); s1=$(ticks $s); t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  printf '| %-9s | %6s | %7s | %10s | %6s | %13s |\n' "$name" \
    "$( [ -n "$reader" ] && percent $((r1 - r0)) "$secs" || echo -)" \
    "$(percent $((d1 - d0)) "$secs")" "$(percent $((c1 - c0)) "$secs")" "$(percent $((s1 - s0)) "$secs")" \
    "$(percent $(( (d1 - d0) + (c1 - c0) + (s1 - s0) )) "$secs")"
}

stats_records() { cat "$WORK"/out/*.ndjson 2>/dev/null | grep -c '"kind":"stats"' || true; }

echo "bench/stats: $N containers, $D s per phase, interval $INTERVAL, $(nproc) CPUs, Docker $(dk version --format '{{.Server.Version}}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "starting $N containers..."
for i in $(seq 1 "$N"); do
  dk run -d --label "$RUN" --name "$RUN-$i" "$IMAGE" sleep 86400 >/dev/null
done
sleep 5

echo
echo "| phase     | reader | dockerd | containerd | shims  | daemons total |"
echo "| --------- | ------ | ------- | ---------- | ------ | ------------- |"
measure idle

java $(cat jvm.options) ${BENCH_JAVA_OPTS:-} -Ddockwatch.docker.hosts="$HOST" -Ddockwatch.routes="$PWD/bench/stats/routes" \
  -Ddockwatch.stats.interval="$INTERVAL" -Ddockwatch.output.dir="$WORK/out" -Ddockwatch.state.dir="$WORK/state" \
  -Ddockwatch.http.port=0 -Ddockwatch.containers.include="$RUN-*" -jar target/dockwatch.jar >"$WORK/collector.log" 2>&1 &
COLLECTOR_PID=$!
# start-up (class loading, the first inspects, JIT) is not the steady state that runs for weeks
sleep "$WARMUP"
before=$(stats_records)
measure dockwatch "$COLLECTOR_PID"
after=$(stats_records)
behind=$(grep -c "fall behind" "$WORK/collector.log" || true)
# how long one round (all N containers) took: Docker's read times of a round, rounds apart by > 2 s
rounds=$(cat "$WORK"/out/*.ndjson | grep '"kind":"stats"' | sed -E 's/.*"@timestamp":"[0-9-]+T([0-9]+):([0-9]+):([0-9.]+)Z".*/\1 \2 \3/' \
  | awk '{ print $1 * 3600 + $2 * 60 + $3 }' | sort -n | awk '
      NR == 1 { first = $1; last = $1; next }
      $1 - last > 2 { n++; sum += last - first; if (last - first > max) max = last - first; first = $1 }
      { last = $1 }
      END { printf "%d rounds, %.1f s on average, %.1f s at most", n, (n ? sum / n : 0), max }')
kill "$COLLECTOR_PID"; wait "$COLLECTOR_PID" || true; COLLECTOR_PID=""

# the CLI streams one stats connection per container, as `docker stats` does on a terminal
docker -H "$HOST" stats --format '{{.Name}} {{.CPUPerc}}' $(dk ps -q --filter "label=$RUN") >/dev/null 2>&1 &
STREAM_PID=$!
sleep 10
measure stream "$STREAM_PID"
kill -KILL "$STREAM_PID" 2>/dev/null || true; wait "$STREAM_PID" 2>/dev/null || true; STREAM_PID=""

echo
echo "CPU in percent of one core. reader: the collector (dockwatch) or the docker CLI (stream)."
echo "dockwatch wrote $((after - before)) stats records in its $D s phase (about $((N * D / ${INTERVAL%s})) expected: $N containers every $INTERVAL); 'fall behind' warnings: $behind"
echo "one round of all $N containers (first to last read time): $rounds"
