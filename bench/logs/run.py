#!/usr/bin/env python3
"""Log throughput benchmark: dockwatch against the raw Docker logs API, in the same run.

Load: N busybox containers each print M lines of ~100 bytes as fast as they can, then idle, so
their whole output sits in Docker's json-file logs. Then, on the same backlog:
  raw   - curl reads every container's /logs?timestamps=1 over the socket, all in parallel;
  dockwatch - a fresh collector (jvm.options, default routes, file sink) reads the same logs to
              NDJSON, timed from its start-up summary line to the last record on disk.
Reports lines/s of both and their ratio, collector CPU-seconds per million lines (utime+stime
from /proc) and peak RSS (VmHWM). Run from the repository root after `mvn -B package -DskipTests`:
    python3 bench/logs/run.py [--containers 4] [--lines 250000]
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import (IMAGE, LINE, LineCounter, count_log_records, cpu_seconds, dockerd_cpu_seconds,  # noqa: E402
                      extra_jvm, jvm_options, peak_rss_mb, sh, thread_cpu)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=4)
    ap.add_argument("--lines", type=int, default=250_000, help="lines per container")
    a = ap.parse_args()
    total = a.containers * a.lines
    names = [f"dwbench-logs-{i}" for i in range(a.containers)]
    subprocess.run(["docker", "rm", "-f", *names], capture_output=True)
    print(f"load: {a.containers} containers x {a.lines} lines of 100 bytes = {total} lines")
    for n in names:
        sh("docker", "run", "-d", "--name", n, IMAGE, "sh", "-c", f"yes {LINE} | head -n {a.lines}; sleep 3600")
    ids = [sh("docker", "inspect", "--format", "{{.Id}}", n) for n in names]
    for n in names:  # wait until every line is in Docker's log file
        path = sh("docker", "inspect", "--format", "{{.LogPath}}", n)
        while int(sh("sh", "-c", f"wc -l < {path}")) < a.lines:
            time.sleep(0.5)

    # raw: the Docker API read over the socket, the upper bound
    d0 = dockerd_cpu_seconds()
    t0 = time.monotonic()
    procs = [subprocess.Popen(["curl", "-s", "--unix-socket", "/var/run/docker.sock", "-o", "/dev/null",
                               f"http://localhost/v1.41/containers/{i}/logs?stdout=1&stderr=1&timestamps=1"]) for i in ids]
    for p in procs:
        p.wait()
    raw_s = time.monotonic() - t0
    raw_daemon_cpu = dockerd_cpu_seconds() - d0
    raw_rate = total / raw_s

    # dockwatch on the same backlog
    work = tempfile.mkdtemp(prefix="dwbench-")
    out = os.path.join(work, "out")
    jvm = jvm_options()
    log = open(os.path.join(work, "collector.log"), "w")
    proc = subprocess.Popen(["java", *jvm, f"-Ddockwatch.output.dir={out}", f"-Ddockwatch.state.dir={work}/state",
                             "-Ddockwatch.logs.backlog=all", "-Ddockwatch.containers.include=dwbench-logs-*",
                             *extra_jvm(), "-jar", "target/dockwatch.jar"], stdout=log, stderr=subprocess.STDOUT)
    while "dockwatch collecting" not in open(os.path.join(work, "collector.log")).read():
        time.sleep(0.05)
    t1 = time.monotonic()
    cpu1 = cpu_seconds(proc.pid)
    d1 = dockerd_cpu_seconds()
    counter = LineCounter(out)
    deadline = t1 + 600
    while time.monotonic() < deadline:
        n = counter.count()
        # config records of the bench containers are in the output too
        if n >= total + a.containers:
            break
        time.sleep(0.2)
    t2 = time.monotonic()
    cpu2 = cpu_seconds(proc.pid)
    dw_daemon_cpu = dockerd_cpu_seconds() - d1
    rss = peak_rss_mb(proc.pid)
    if os.environ.get("DWBENCH_THREADS"):
        print("collector CPU-s by thread:", json.dumps(thread_cpu(proc.pid)))
    proc.terminate()
    proc.wait(timeout=20)
    logs = count_log_records(out)
    dw_s = t2 - t1
    dw_rate = total / dw_s
    result = {
        "containers": a.containers, "lines": total,
        "raw_api_seconds": round(raw_s, 2), "raw_api_lines_per_s": round(raw_rate),
        "dockwatch_seconds": round(dw_s, 2), "dockwatch_lines_per_s": round(dw_rate),
        "ratio_to_raw": round(dw_rate / raw_rate, 3),
        "cpu_seconds_per_million_lines": round((cpu2 - cpu1) / total * 1e6, 2),
        "peak_rss_mb": round(rss, 1), "log_records_written": logs,
        # the daemon serves both reads; on a small machine its CPU bounds both
        "dockerd_cpu_seconds_raw_read": round(raw_daemon_cpu, 2),
        "dockerd_cpu_seconds_dockwatch_read": round(dw_daemon_cpu, 2),
    }
    print(json.dumps(result, indent=1))
    subprocess.run(["docker", "rm", "-f", *names], capture_output=True)
    shutil.rmtree(work, ignore_errors=True)
    if logs != total:
        print(f"MISMATCH: expected {total} log records, found {logs}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
