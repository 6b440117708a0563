#!/usr/bin/env python3
"""Log reading cost, side by side in one run: the raw Docker logs API, dockwatch's API path and
dockwatch's file path (docs/logs-file-path.md), for a backlog and for live containers.

Load: N busybox containers each print M lines of 100 bytes as fast as they can.
  backlog - the containers print, then idle; their whole output sits in Docker's json-file logs;
            each reader then reads the same backlog:
              raw  - curl reads every container's /logs?timestamps=1 over the socket, in parallel;
              api  - a fresh collector (jvm.options, default routes, file sink) with
                     dockwatch.logs.read=api, timed from its start-up line to the last record on disk;
              file - the same with dockwatch.logs.read=file.
  live    - the reader is there first, then the containers start and print, and are read while
            they print (curl with follow=1 started right after each container); timed from the first
            container's start to the last line read.
The daemon's cost is dockerd plus its containerd (utime+stime from /proc), less what it spent
per second on other work in the 3 s before each read (a shared daemon; reported as
daemon_background_cpu_per_s). Writing the logs costs
the daemon the same whatever reads them: it is measured once with no reader (live load) and
reported apart; a live reader's "reading cost" is the daemon's CPU during its run minus that,
plus the reader's own. Reported per reader: lines/s, ratio to raw lines/s, CPU-seconds per
million lines (daemon, reader, reading cost in all), peak RSS of the collector.
Run from the repository root after `mvn -B package -DskipTests`:
    python3 bench/logs/run.py [--containers 4] [--lines 250000] [--workloads backlog,live] [--readers raw,api,file]
DOCKER_HOST=unix:///path/docker.sock runs it all on that daemon (a daemon of its own on a shared
machine: others' containers stay out of the figures, and others' collectors do not read these lines).
DWBENCH_JAR=other.jar runs another build of the collector (A/B runs in the same conditions).
On a shared machine, CPU taken by others' work on dockerd (their containers' logs, API calls)
lands in the daemon's figures: read them as upper bounds, and rerun.
"""
import argparse, json, os, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import (IMAGE, LINE, LineCounter, count_log_records, cpu_seconds, daemon_cpu_seconds,  # noqa: E402
                      docker_socket, extra_jvm, jvm_options, peak_rss_mb, sh, thread_cpu)

NAME = f"dwbench-logs-{os.getpid()}"  # other runs on the same daemon keep theirs


def remove(names):
    subprocess.run(["docker", "rm", "-f", *names], capture_output=True)


def start_containers(names, lines, then):
    ids = []
    for n in names:
        ids.append(sh("docker", "run", "-d", "--name", n, IMAGE, "sh", "-c", f"yes {LINE} | head -n {lines}{then}"))
    return ids


def wait_written(names, lines):
    for n in names:  # until every line is in Docker's log file
        path = sh("docker", "inspect", "--format", "{{.LogPath}}", n)
        while int(sh("sh", "-c", f"wc -l < {path}")) < lines:
            time.sleep(0.2)


def wait_exited(names):
    subprocess.run(["docker", "wait", *names], capture_output=True, check=True)


class CollectorRun:
    """A fresh collector reading only the bench containers, through the given path."""

    def __init__(self, read):
        self.work = tempfile.mkdtemp(prefix="dwbench-")
        self.out = os.path.join(self.work, "out")
        self.log_path = os.path.join(self.work, "collector.log")
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            ["java", *jvm_options(), f"-Ddockwatch.output.dir={self.out}", f"-Ddockwatch.state.dir={self.work}/state",
             "-Ddockwatch.logs.backlog=all", f"-Ddockwatch.containers.include={NAME}-*",
             f"-Ddockwatch.logs.read={read}", "-Ddockwatch.http.port=0", *extra_jvm(), "-jar", os.environ.get("DWBENCH_JAR", "target/dockwatch.jar")],
            stdout=log, stderr=subprocess.STDOUT)
        while "dockwatch collecting" not in open(self.log_path).read():
            if self.proc.poll() is not None:
                sys.exit("collector exited:\n" + open(self.log_path).read())
            time.sleep(0.05)
        self.counter = LineCounter(self.out)

    def cpu(self):
        return cpu_seconds(self.proc.pid)

    def wait_lines(self, total, containers):
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            # config records of the bench containers are in the output too
            if self.counter.count() >= total + containers:
                return
            time.sleep(0.1)
        sys.exit("timed out; collector log:\n" + open(self.log_path).read()[-3000:])

    def finish(self, total):
        rss = peak_rss_mb(self.proc.pid)
        if os.environ.get("DWBENCH_THREADS"):
            print("collector CPU-s by thread:", json.dumps(thread_cpu(self.proc.pid)), file=sys.stderr)
        self.proc.terminate()
        self.proc.wait(timeout=20)
        logs = count_log_records(self.out)
        shutil.rmtree(self.work, ignore_errors=True)
        if logs != total:
            sys.exit(f"MISMATCH: expected {total} log records, found {logs}")
        return rss


def background_rate():
    """dockerd + containerd CPU per second with none of our readers or writers: other work on a
    shared daemon, subtracted from the figures below (and reported)."""
    d0, t0 = daemon_cpu_seconds(), time.monotonic()
    time.sleep(3)
    return (daemon_cpu_seconds() - d0) / (time.monotonic() - t0)


def figures(total, seconds, daemon_cpu, reader_cpu, raw_rate=None, write_cpu=0.0, rss=None, background=0.0):
    per_m = 1e6 / total
    reading_daemon = daemon_cpu - write_cpu - background * seconds
    r = {"lines_per_s": round(total / seconds),
         "daemon_background_cpu_per_s": round(background, 3),
         "daemon_cpu_s_per_million": round(reading_daemon * per_m, 2),
         "reader_cpu_s_per_million": round(reader_cpu * per_m, 2),
         "reading_cpu_s_per_million": round((reading_daemon + reader_cpu) * per_m, 2)}
    if raw_rate:
        r["ratio_to_raw"] = round(total / seconds / raw_rate, 3)
    if rss is not None:
        r["collector_peak_rss_mb"] = round(rss, 1)
    return r


def curl(cid, follow):
    q = "stdout=1&stderr=1&timestamps=1" + ("&follow=1" if follow else "")
    return subprocess.Popen(["curl", "-s", "--unix-socket", docker_socket(), "-o", "/dev/null",
                             f"http://localhost/v1.41/containers/{cid}/logs?{q}"])


def backlog(a, readers):
    names = [f"{NAME}-{i}" for i in range(a.containers)]
    total = a.containers * a.lines
    remove(names)
    ids = start_containers(names, a.lines, "; sleep 3600")
    wait_written(names, a.lines)
    out = {}
    raw_rate = None
    for reader in readers:
        bg = background_rate()
        if reader == "raw":
            d0, t0 = daemon_cpu_seconds(), time.monotonic()
            procs = [curl(i, False) for i in ids]
            for p in procs:
                p.wait()
            secs = time.monotonic() - t0
            out["raw"] = figures(total, secs, daemon_cpu_seconds() - d0, 0.0, background=bg)
            raw_rate = total / secs
        else:
            c = CollectorRun(reader)
            d0, c0, t0 = daemon_cpu_seconds(), c.cpu(), time.monotonic()
            c.wait_lines(total, a.containers)
            secs = time.monotonic() - t0
            dcpu, ccpu = daemon_cpu_seconds() - d0, c.cpu() - c0
            out[reader] = figures(total, secs, dcpu, ccpu, raw_rate, rss=c.finish(total), background=bg)
    remove(names)
    return out


def live(a, readers):
    names = [f"{NAME}-{i}" for i in range(a.containers)]
    total = a.containers * a.lines
    out = {}
    # writing alone: what the daemon spends on the containers' output with no reader
    remove(names)
    bg = background_rate()
    d0, t0 = daemon_cpu_seconds(), time.monotonic()
    start_containers(names, a.lines, "")
    wait_exited(names)
    write_secs = time.monotonic() - t0
    write_cpu = daemon_cpu_seconds() - d0 - bg * write_secs
    out["writing_only"] = {"lines_per_s": round(total / write_secs),
                           "daemon_cpu_s_per_million": round(write_cpu * 1e6 / total, 2)}
    remove(names)
    raw_rate = None
    for reader in readers:
        bg = background_rate()
        if reader == "raw":
            d0, t0 = daemon_cpu_seconds(), time.monotonic()
            procs = []
            for cid in start_containers(names, a.lines, ""):
                # follow=1 reads from the first line and ends when the container does (a created,
                # not yet started container would end it at once)
                procs.append(curl(cid, True))
            for p in procs:
                p.wait()
            secs = time.monotonic() - t0
            out["raw"] = figures(total, secs, daemon_cpu_seconds() - d0, 0.0, write_cpu=write_cpu, background=bg)
            raw_rate = total / secs
        else:
            c = CollectorRun(reader)
            d0, c0, t0 = daemon_cpu_seconds(), c.cpu(), time.monotonic()
            start_containers(names, a.lines, "")
            c.wait_lines(total, a.containers)
            secs = time.monotonic() - t0
            dcpu, ccpu = daemon_cpu_seconds() - d0, c.cpu() - c0
            out[reader] = figures(total, secs, dcpu, ccpu, raw_rate, write_cpu=write_cpu, rss=c.finish(total),
                                  background=bg)
        remove(names)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=4)
    ap.add_argument("--lines", type=int, default=250_000, help="lines per container")
    ap.add_argument("--workloads", default="backlog,live")
    ap.add_argument("--readers", default="raw,api,file", help="raw first: the others' ratio is to it")
    a = ap.parse_args()
    readers = a.readers.split(",")
    print(f"load: {a.containers} containers x {a.lines} lines of 100 bytes = {a.containers * a.lines} lines",
          file=sys.stderr)
    result = {"containers": a.containers, "lines": a.containers * a.lines,
              "load_average_at_start": os.getloadavg()[0]}
    for w in a.workloads.split(","):
        result[w] = backlog(a, readers) if w == "backlog" else live(a, readers)
    result["load_average_at_end"] = os.getloadavg()[0]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
