#!/usr/bin/env python3
"""Fairness benchmark: how late a quiet container's lines arrive while others flood.

Load: N flooders print as fast as they can (`yes` lines of 100 bytes, or with --tty a TTY that
never prints a newline), and one quiet container prints a numbered line every --period seconds.
A fresh collector (jvm.options, default routes, file sink) follows all of them. For each of the
quiet container's lines, its delay is the time it appeared in the sink's NDJSON minus Docker's own
timestamp of it (the moment dockerd read it from the container). Beside it, in the same run, the
raw API: curl follows the quiet container's /logs directly and the same delay is taken on each
line it hands over, which is what dockerd alone costs under this load.

Reports p50/p99/max of both, the quiet lines missing or repeated, the flooders' records per
second, and collector CPU. Run from the repository root after `mvn -B package -DskipTests`:
    python3 bench/logs/fairness.py [--flooders 4] [--seconds 30] [--tty]
"""
import argparse, datetime, json, os, re, shutil, subprocess, sys, tempfile, threading, time, urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import IMAGE, LINE, cpu_seconds, extra_jvm, jvm_options, peak_rss_mb, sh  # noqa: E402

PREFIX = "dwbench-fair-"
QUIET = PREFIX + "quiet"


def docker_time(ts):
    """Seconds since the epoch of Docker's RFC 3339 nano timestamp (UTC, 9-digit fraction)."""
    whole, frac = ts.rstrip("Z").split(".")
    t = datetime.datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return t.timestamp() + int(frac) / 1e9


def percentile(values, p):
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def summary(delays):
    return {"lines": len(delays), "p50_ms": ms(percentile(delays, 50)), "p99_ms": ms(percentile(delays, 99)),
            "max_ms": ms(max(delays) if delays else None)}


def ms(s):
    return None if s is None else round(s * 1000, 1)


class QuietTail:
    """Reads what the sink appended since the last poll and stamps each quiet record's arrival. Only
    lines holding the quiet container's name are parsed: the flood itself is only counted."""

    def __init__(self, folder):
        self.folder, self.seen, self.carry = folder, {}, {}
        self.arrivals = []  # (n, docker_ts, arrived)
        self.records = 0

    def poll(self):
        now = time.time()
        for f in sorted(os.listdir(self.folder)) if os.path.isdir(self.folder) else []:
            if not f.endswith(".ndjson"):
                continue
            with open(os.path.join(self.folder, f), "rb") as fh:
                fh.seek(self.seen.get(f, 0))
                data = self.carry.get(f, b"") + fh.read()
                self.seen[f] = fh.tell()
            cut = data.rfind(b"\n") + 1
            self.carry[f] = data[cut:]
            data = data[:cut]
            self.records += data.count(b"\n")
            i = data.find(QUIET.encode())
            while i >= 0:
                start = data.rfind(b"\n", 0, i) + 1
                end = data.find(b"\n", i)
                r = json.loads(data[start:end])
                if r.get("kind") == "log" and r["message"].startswith("quiet-"):
                    self.arrivals.append((int(r["message"][6:]), docker_time(r["@timestamp"]), now))
                i = data.find(QUIET.encode(), end)


def sink_lag_bytes(base_url):
    """What the file sink has still to write (the spool is first in, first out for every container)."""
    try:
        with urllib.request.urlopen(base_url + "/observe/metrics", timeout=2) as r:
            for line in r.read().decode().splitlines():
                if line.startswith('dockwatch_sink_lag_bytes{sink="file"}'):
                    return float(line.split()[-1])
    except OSError:
        pass
    return None


def raw_follow(container_id, since, out):
    """The raw API's delay on the quiet container's lines, taken as curl hands them over."""
    host = os.environ.get("DOCKER_HOST", "")
    sock = host[len("unix://"):] if host.startswith("unix://") else "/var/run/docker.sock"
    p = subprocess.Popen(["curl", "-sN", "--unix-socket", sock,
                          f"http://localhost/v1.41/containers/{container_id}/logs?stdout=1&follow=1&timestamps=1&since={since}"],
                         stdout=subprocess.PIPE)
    buf = b""
    while True:
        chunk = p.stdout.read1(65536)
        if not chunk:
            break
        now = time.time()
        buf += chunk
        while len(buf) >= 8:
            size = int.from_bytes(buf[4:8], "big")
            if len(buf) < 8 + size:
                break
            entry = buf[8:8 + size].decode(errors="replace")
            buf = buf[8 + size:]
            ts, _, msg = entry.partition(" ")
            if msg.startswith("quiet-"):
                out.append((int(msg.strip()[6:]), docker_time(ts), now))
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--flooders", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=30, help="measured time, after a 5 s warm-up")
    ap.add_argument("--period", type=float, default=0.1, help="the quiet container's seconds between lines")
    ap.add_argument("--tty", action="store_true", help="flooders are TTYs that never print a newline")
    a = ap.parse_args()
    names = [f"{PREFIX}flood-{i}" for i in range(a.flooders)] + [QUIET]
    subprocess.run(["docker", "rm", "-f", *names], capture_output=True)

    work = tempfile.mkdtemp(prefix="dwbench-fair-")
    out = os.path.join(work, "out")
    log = open(os.path.join(work, "collector.log"), "w")
    # rolled files are kept only as long as the measurement needs them: a flood writes GBs
    proc = subprocess.Popen(["java", *jvm_options(), f"-Ddockwatch.output.dir={out}", f"-Ddockwatch.state.dir={work}/state",
                             f"-Ddockwatch.containers.include={PREFIX}*", "-Ddockwatch.http.port=0",
                             "-Ddockwatch.sink.file.retention.count=16", *extra_jvm(), "-jar", "target/dockwatch.jar"],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        while "dockwatch collecting" not in open(os.path.join(work, "collector.log")).read():
            if proc.poll() is not None:
                sys.exit("collector exited at start:\n" + open(os.path.join(work, "collector.log")).read())
            time.sleep(0.05)
        flood = "yes | tr -d '\\n'" if a.tty else f"yes {LINE}"
        for n in names[:-1]:
            sh("docker", "run", "-d", *(["-t"] if a.tty else []), "--name", n, IMAGE, "sh", "-c", flood)
        quiet_id = sh("docker", "run", "-d", "--name", QUIET, IMAGE, "sh", "-c",
                      f"i=0; while true; do i=$((i+1)); echo quiet-$i; sleep {a.period}; done")
        tail = QuietTail(out)
        raw = []
        threading.Thread(target=raw_follow, args=(quiet_id, int(time.time()), raw), daemon=True).start()
        warm_until = time.time() + 5
        while time.time() < warm_until:
            tail.poll()
            time.sleep(0.05)
        base_url = re.search(r"Status page, metrics and health on (http://\S+)",
                             open(os.path.join(work, "collector.log")).read()).group(1)
        lags, next_lag = [], 0
        t0, records0, cpu0 = time.time(), tail.records, cpu_seconds(proc.pid)
        print(f"measuring from {t0:.2f} (epoch seconds), collector work dir {work}", file=sys.stderr)
        while time.time() < t0 + a.seconds:
            tail.poll()
            if time.time() >= next_lag:
                lags.append(sink_lag_bytes(base_url) or 0)
                next_lag = time.time() + 1
            time.sleep(0.05)
        t1, records1, cpu1 = time.time(), tail.records, cpu_seconds(proc.pid)
        alive = proc.poll() is None
        rss = peak_rss_mb(proc.pid) if alive else None
        # the quiet lines of the window still on their way arrive while the flooders go
        rm = subprocess.Popen(["docker", "rm", "-f", *names[:-1]], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        settle_until = time.time() + 3
        while rm.poll() is None or time.time() < settle_until:
            tail.poll()
            time.sleep(0.05)

        measured = [x for x in tail.arrivals if t0 <= x[1] <= t1]
        raw_measured = [x for x in raw if t0 <= x[1] <= t1]
        numbers = [n for n, _, _ in tail.arrivals]
        lo = min(n for n, _, _ in raw_measured) if raw_measured else 0
        hi = max(n for n, _, _ in raw_measured) if raw_measured else -1
        in_window = [n for n in numbers if lo <= n <= hi]
        result = {
            "flooders": a.flooders, "flood": "tty, no newline" if a.tty else "100-byte lines", "seconds": a.seconds,
            "quiet_period_s": a.period,
            "dockwatch": summary([arrived - ts for _, ts, arrived in measured]),
            "raw_api": summary([arrived - ts for _, ts, arrived in raw_measured]),
            "quiet_lines_missing": (hi - lo + 1) - len(set(in_window)),
            "quiet_lines_repeated": len(numbers) - len(set(numbers)),
            "sink_lag_mb_max": round(max(lags) / 1e6, 1), "sink_lag_mb_last": round(lags[-1] / 1e6, 1),
            "records_per_s_all": round((records1 - records0) / (t1 - t0)),
            "collector_cpu_percent": round((cpu1 - cpu0) / (t1 - t0) * 100),
            "collector_alive": alive, "peak_rss_mb": rss,
            # when the worst ones happened, seconds into the measured window (to match with GC or sink logs)
            "worst_dockwatch": [{"at_s": round(ts - t0, 2), "delay_ms": ms(arrived - ts)}
                                for _, ts, arrived in sorted(measured, key=lambda x: x[1] - x[2])[:3]],
        }
        print(json.dumps(result, indent=1))
    finally:
        subprocess.run(["docker", "rm", "-f", *names], capture_output=True)
        if proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=20)
        if os.environ.get("DWBENCH_KEEP"):
            print("kept", work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
