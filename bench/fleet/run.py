#!/usr/bin/env python3
"""Fleet benchmark: one collector watching five Docker daemons against one watching one daemon.

Load: extra dockerd instances (Debian's binary, like the fleet tests: own data root, exec root,
pid file and unix socket, no bridge, no iptables, vfs) so the machine's main daemon is left alone.
Both cases hold the same backlog of container logs, lines of ~100 bytes already in Docker's
json-file logs:
  one  - one daemon with D x C containers;
  five - five daemons with C containers each.
For each case, on the same backlog:
  raw       - curl reads every container's /logs?timestamps=1 over its daemon's socket, all at once;
  dockwatch - a fresh collector (jvm.options, shipped routes, file sink) reads them all to NDJSON,
              timed from its start-up summary to the last record on disk.
Reports lines/s, the ratio to raw, collector CPU-seconds per million lines and peak RSS.
Run from the repository root, as root, after `mvn -B package -DskipTests`:
    python3 bench/fleet/run.py [--daemons 5] [--containers 2] [--lines 50000]
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import (IMAGE, LINE, LineCounter, count_log_records, cpu_seconds, extra_jvm,  # noqa: E402
                      jvm_options, peak_rss_mb, sh)


class Dockerd:
    """One extra daemon; stopped through its own pid file only."""

    def __init__(self, number):
        self.dir = tempfile.mkdtemp(prefix="dwb", dir="/tmp")
        # a bridge of its own: with --bridge=none dockerd deletes the host's docker0 at its start
        self.bridge = f"dwb{number}"
        subprocess.run(f"ip link show {self.bridge} >/dev/null 2>&1 || {{ ip link add {self.bridge} type bridge"
                       f" && ip addr add 10.215.{number}.1/24 dev {self.bridge} && ip link set {self.bridge} up; }}",
                       shell=True, check=True)
        self.sock = f"unix://{self.dir}/docker.sock"
        # Engine 20.10 takes its ID from a trust key (shared /etc/docker/key.json by default);
        # from Engine 23 the ID lives in the data root and the option is refused
        major = int(re.search(r"version (\d+)\.", sh("dockerd", "--version")).group(1))
        with open(f"{self.dir}/daemon.json", "w") as f:
            json.dump({"deprecated-key-path": f"{self.dir}/trust-key.json"} if major < 23 else {}, f)
        self.log = open(f"{self.dir}/dockerd.log", "w")
        subprocess.Popen(["dockerd", "--config-file", f"{self.dir}/daemon.json", "--data-root", f"{self.dir}/data",
                          "--exec-root", f"{self.dir}/exec", "--pidfile", f"{self.dir}/dockerd.pid", "-H", self.sock,
                          f"--bridge={self.bridge}", "--iptables=false", "--ip-masq=false", "--storage-driver=vfs"],
                         stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(120):
            if subprocess.run(["docker", "-H", self.sock, "version"], capture_output=True).returncode == 0:
                break
            time.sleep(0.25)
        subprocess.run(f"docker save {IMAGE} | docker -H {self.sock} load", shell=True, check=True, capture_output=True)

    def docker(self, *args):
        return sh("docker", "-H", self.sock, *args)

    def close(self):
        subprocess.run(f"ids=$(docker -H {self.sock} ps -aq); [ -z \"$ids\" ] || docker -H {self.sock} rm -f $ids",
                       shell=True, capture_output=True)
        pid = int(open(f"{self.dir}/dockerd.pid").read().strip())
        subprocess.run(["kill", "-TERM", str(pid)])
        for _ in range(120):
            if not os.path.exists(f"/proc/{pid}"):
                break
            time.sleep(0.25)
        subprocess.run(f"grep -o ' {self.dir}[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l", shell=True,
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)


def fill(daemon, count, lines, tag):
    """count containers printing `lines` lines each, then idling; waits until all are in Docker's logs."""
    ids = []
    for i in range(count):
        ids.append(daemon.docker("run", "-d", "--network", "none", "--name", f"dwbench-fleet-{tag}-{i}", IMAGE,
                                 "sh", "-c", f"yes {LINE} | head -n {lines}; sleep 3600"))
    for cid in ids:
        path = daemon.docker("inspect", "--format", "{{.LogPath}}", cid)
        while int(sh("sh", "-c", f"wc -l < {path}")) < lines:
            time.sleep(0.3)
    return ids


def measure(case, daemons, ids_by_daemon, total):
    t0 = time.monotonic()
    procs = [subprocess.Popen(["curl", "-s", "--unix-socket", d.sock[len("unix://"):], "-o", "/dev/null",
                               f"http://localhost/v1.41/containers/{i}/logs?stdout=1&stderr=1&timestamps=1"])
             for d, ids in zip(daemons, ids_by_daemon) for i in ids]
    for p in procs:
        p.wait()
    raw_s = time.monotonic() - t0

    work = tempfile.mkdtemp(prefix="dwbench-fleet-")
    out = os.path.join(work, "out")
    jvm = jvm_options()
    hosts = ",".join(d.sock for d in daemons)
    logfile = os.path.join(work, "collector.log")
    proc = subprocess.Popen(["java", *jvm, f"-Ddockwatch.output.dir={out}", f"-Ddockwatch.state.dir={work}/state",
                             f"-Ddockwatch.docker.hosts={hosts}", "-Ddockwatch.http.port=0",
                             "-Ddockwatch.logs.backlog=all", *extra_jvm(), "-jar", "target/dockwatch.jar"],
                            stdout=open(logfile, "w"), stderr=subprocess.STDOUT)
    while "dockwatch collecting" not in open(logfile).read():
        time.sleep(0.05)
    t1 = time.monotonic()
    cpu1 = cpu_seconds(proc.pid)
    deadline = t1 + 900
    containers = sum(len(i) for i in ids_by_daemon)
    counter = LineCounter(out)
    # each container also gives one config record
    while time.monotonic() < deadline and counter.count() < total + containers:
        time.sleep(0.25)
    t2 = time.monotonic()
    cpu2 = cpu_seconds(proc.pid)
    rss = peak_rss_mb(proc.pid)
    proc.terminate()
    proc.wait(timeout=20)
    logs = count_log_records(out)
    shutil.rmtree(work, ignore_errors=True)
    dw_s = t2 - t1
    return {
        "case": case, "daemons": len(daemons), "containers": sum(len(i) for i in ids_by_daemon), "lines": total,
        "raw_api_lines_per_s": round(total / raw_s), "dockwatch_lines_per_s": round(total / dw_s),
        "ratio_to_raw": round(raw_s / dw_s, 3),
        "cpu_seconds_per_million_lines": round((cpu2 - cpu1) / total * 1e6, 2),
        "peak_rss_mb": round(rss, 1), "log_records_written": logs,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--daemons", type=int, default=5)
    ap.add_argument("--containers", type=int, default=2, help="containers per daemon in the fleet case")
    ap.add_argument("--lines", type=int, default=50_000, help="lines per container")
    a = ap.parse_args()
    total = a.daemons * a.containers * a.lines
    print(f"load: {a.daemons} daemons x {a.containers} containers x {a.lines} lines of 100 bytes = {total} lines, "
          f"against 1 daemon x {a.daemons * a.containers} containers")
    daemons = []
    results = []
    try:
        daemons = [Dockerd(n) for n in range(a.daemons)]
        fleet_ids = [fill(d, a.containers, a.lines, f"d{n}") for n, d in enumerate(daemons)]
        results.append(measure("five", daemons, fleet_ids, total))
        for d, ids in zip(daemons, fleet_ids):
            d.docker("rm", "-f", *ids)
        single_ids = fill(daemons[0], a.daemons * a.containers, a.lines, "single")
        results.append(measure("one", daemons[:1], [single_ids], total))
    finally:
        for d in daemons:
            d.close()
    print(json.dumps(results, indent=1))
    if any(r["log_records_written"] != total for r in results):
        print("MISMATCH: a case did not write every line exactly once", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
