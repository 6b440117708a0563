#!/usr/bin/env python3
"""What following many containers costs: threads, RSS, old-generation heap, full GCs, stats lag.

Starts N busybox containers (those not already running) that print one line and then sleep, or
with --every S a line every S seconds for as long as they run; starts a fresh collector with the
shipped jvm.options and routes following them all, through the log path of --logs-read; samples
the collector's threads and RSS 30 s after its start-up line (by then the start-up burst's idle
pool threads have ended) and at the end of --seconds; counts full GCs (jstat) and stats records
per container over the last 3 stats intervals; then the old generation after a full GC (jcmd).
Run from the repository root after `mvn -B package -DskipTests`, on a daemon of your own for
hundreds of containers (DOCKER_HOST=unix://..., which both the docker CLI and the collector follow):
    python3 bench/logs/idle.py [--containers 200] [--every 10] [--logs-read file|api]
        [--stats-interval 10s] [--seconds 100] [--keep] [--histogram]
--keep leaves the containers running for the next run (e.g. the other log path on the same ones).
"""
import argparse, collections, json, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import IMAGE, extra_jvm, jvm_options, sh  # noqa: E402


def sample(pid):
    status = open(f"/proc/{pid}/status").read()
    return {"threads": int(re.search(r"Threads:\s+(\d+)", status).group(1)),
            "rss_mb": round(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024, 1)}


def full_gcs(pid):
    """(count, seconds) of full collections so far, from `jstat -gc` (its FGC and FGCT columns)."""
    head, row = sh("jstat", "-gc", str(pid)).splitlines()[-2:]
    cols = dict(zip(head.split(), row.split()))
    return int(cols["FGC"]), float(cols["FGCT"])


def seconds(duration):
    m = re.fullmatch(r"(\d+)(ms|s|m)", duration)
    return int(m.group(1)) * {"ms": 0.001, "s": 1, "m": 60}[m.group(2)]


def records(out):
    """(kind, container name, @timestamp) of every record the file sink wrote."""
    for f in sorted(os.listdir(out)) if os.path.isdir(out) else []:
        if f.endswith(".ndjson"):
            with open(os.path.join(out, f)) as fh:
                for line in fh:
                    r = json.loads(line)
                    yield r.get("kind"), r.get("container", {}).get("name"), r.get("@timestamp", "")


def start_containers(names, every):
    running = set(sh("docker", "ps", "--format", "{{.Names}}").split())
    todo = [n for n in names if n not in running]
    subprocess.run(["docker", "rm", "-f", *todo], capture_output=True) if todo else None
    script = (f'i=0; while true; do i=$((i+1)); echo "line $i"; sleep {every}; done' if every
              else "echo hello; sleep 3600")
    procs = []
    for n in todo:
        procs.append(subprocess.Popen(["docker", "run", "-d", "--network", "none", "--name", n, IMAGE, "sh", "-c", script],
                                      stdout=subprocess.DEVNULL))
        if len(procs) >= 8:
            procs.pop(0).wait()
    for p in procs:
        p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=200)
    ap.add_argument("--prefix", default="dwbench-idle-")
    ap.add_argument("--every", type=int, default=0, help="a line every so many seconds (0: one line, then quiet)")
    ap.add_argument("--logs-read", default="file", choices=["file", "api"])
    ap.add_argument("--stats-interval", default="10s")
    ap.add_argument("--seconds", type=int, default=100, help="how long the collector runs before the full GC")
    ap.add_argument("--keep", action="store_true", help="leave the containers running")
    ap.add_argument("--histogram", action="store_true", help="print the heap's top classes after the full GC")
    a = ap.parse_args()
    names = [f"{a.prefix}{i}" for i in range(a.containers)]
    start_containers(names, a.every)
    work = tempfile.mkdtemp(prefix="dwbench-idle-")
    out = os.path.join(work, "out")
    log = os.path.join(work, "collector.log")
    proc = subprocess.Popen(["java", *jvm_options(), f"-Ddockwatch.output.dir={out}", f"-Ddockwatch.state.dir={work}/state",
                             "-Ddockwatch.http.port=0", f"-Ddockwatch.containers.include={a.prefix}*",
                             f"-Ddockwatch.logs.read={a.logs_read}", f"-Ddockwatch.stats.interval={a.stats_interval}",
                             *extra_jvm(), "-jar", "target/dockwatch.jar"], stdout=open(log, "w"), stderr=subprocess.STDOUT)
    try:
        while "dockwatch collecting" not in open(log).read():
            if proc.poll() is not None:
                raise SystemExit(open(log).read())
            time.sleep(0.05)
        t0 = time.monotonic()
        gc0 = full_gcs(proc.pid)
        time.sleep(30)
        at30 = sample(proc.pid)
        time.sleep(max(0, a.seconds - (time.monotonic() - t0)))
        end = sample(proc.pid)
        gc1 = full_gcs(proc.pid)
        window_start = time.time() - 3 * seconds(a.stats_interval)
        sh("jcmd", str(proc.pid), "GC.run")
        heap = sh("jcmd", str(proc.pid), "GC.heap_info")
        histogram = sh("jcmd", str(proc.pid), "GC.class_histogram") if a.histogram else ""
        m = re.search(r"tenured generation\s+total (\d+)K, used (\d+)K", heap)
        stats = collections.Counter()
        lines = collections.Counter()
        since = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(window_start))
        for kind, name, ts in records(out):
            if kind == "stats" and ts >= since:
                stats[name] += 1
            elif kind == "log":
                lines[name] += 1
        per = sorted(stats[n] for n in names)
        behind = [l.strip() for l in open(log) if "fall behind" in l]
        result = {"containers": a.containers, "logs_read": a.logs_read, "every_s": a.every,
                  "stats_interval": a.stats_interval, "seconds": a.seconds, "at_30s": at30, f"at_{a.seconds}s": end,
                  "full_gcs": gc1[0] - gc0[0], "full_gc_s": round(gc1[1] - gc0[1], 2),
                  "old_gen_used_kib_after_full_gc": int(m.group(2)) if m else None,
                  "old_gen_size_kib": int(m.group(1)) if m else None,
                  "log_lines_read": sum(lines.values()), "containers_with_lines": len(lines),
                  # 3 stats records per container (the window's edges may cut one) when stats keep up
                  "stats_records_last_3_intervals": {"per_container_min": min(per), "per_container_median": per[len(per) // 2],
                                                     "containers_with_none": per.count(0)},
                  "stats_behind_warnings": behind,
                  "errors": [l.strip() for l in open(log) if "OutOfMemoryError" in l or "Exception in thread" in l][:5],
                  "load": open("/proc/loadavg").read().strip()}
        print(json.dumps(result, indent=1))
        if histogram:
            print("\n".join(histogram.splitlines()[:25]))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if not a.keep:
            subprocess.run(["docker", "rm", "-f", *names], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
