#!/usr/bin/env bash
# Records, for the file path's unit tests, one container's `local` log driver files and the logs
# API's answer for the same container (timestamps=1), from a real daemon:
#   scripts/record-local-log-fixtures.sh <output folder>   (DOCKER_HOST selects the daemon)
# Two containers: "mux" (stdout and stderr, long lines, escapes, no newline at the end) and "tty";
# and "rot": a small max-size with compression, so that rotated .gz files are recorded too.
set -euo pipefail
out=$1
mkdir -p "$out"
image=${IMAGE:-dockwatch-test/busybox:latest}
sock=${DOCKER_HOST:-unix:///var/run/docker.sock}
sock=${sock#unix://}
root=$(docker info -f '{{.DockerRootDir}}')
script='echo two >&2; echo one; head -c 20000 /dev/zero | tr "\0" a; echo; printf "q\"\\\\\t<\001\303\251\n";
echo same; echo same; head -c 16384 /dev/zero | tr "\0" b; echo; head -c 17000 /dev/zero | tr "\0" c >&2; echo >&2;
sleep 0.1; printf last-no-newline'
record() { # kind, docker run options...
  local kind=$1; shift
  local name=dwrec-local-$kind-$$
  local id
  id=$(docker run -d --name "$name" --log-driver local "$@")
  docker wait "$id" >/dev/null
  cp "$root/containers/$id/local-logs/"container.log* "$out/" 2>/dev/null || true
  for f in "$out"/container.log*; do mv "$f" "$out/local-$kind.${f#"$out"/}"; done
  curl -sf --unix-socket "$sock" "http://x/containers/$id/logs?stdout=1&stderr=1&timestamps=1" > "$out/logs-local-$kind-same-run.bin"
  docker inspect -f '{{json .LogPath}}' "$id" > "$out/local-$kind.logpath.json"
  docker rm "$id" >/dev/null
}
record mux "$image" sh -c "$script"
record tty -t "$image" sh -c "$script"
record rot --log-opt max-size=4k --log-opt max-file=4 "$image" sh -c 'i=0; while [ $i -lt 300 ]; do i=$((i+1)); echo line-$i; done'
docker version -f '{{.Server.Version}}' > "$out/engine-version.txt"
ls -l "$out"
