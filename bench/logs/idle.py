#!/usr/bin/env python3
"""What following many quiet containers costs: threads, RSS and old-generation heap.

Starts N busybox containers that print one line and then sleep, starts a fresh collector with
jvm.options and the shipped routes following them all, and samples the collector's threads and
RSS 30 s and 100 s after its start-up line (by then the start-up burst's idle pool threads have
ended), then the old generation after a full GC (jcmd). Run from the repository root after
`mvn -B package -DskipTests`:
    python3 bench/logs/idle.py [--containers 200]
"""
import argparse, json, os, re, shutil, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from benchlib import IMAGE, count_log_records, extra_jvm, jvm_options, sh  # noqa: E402


def sample(pid):
    status = open(f"/proc/{pid}/status").read()
    return {"threads": int(re.search(r"Threads:\s+(\d+)", status).group(1)),
            "rss_mb": round(int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024, 1)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--containers", type=int, default=200)
    a = ap.parse_args()
    names = [f"dwbench-idle-{i}" for i in range(a.containers)]
    subprocess.run(["docker", "rm", "-f", *names], capture_output=True)
    procs = []
    for n in names:
        procs.append(subprocess.Popen(["docker", "run", "-d", "--network", "none", "--name", n, IMAGE,
                                       "sh", "-c", "echo hello; sleep 3600"], stdout=subprocess.DEVNULL))
        if len(procs) >= 8:
            procs.pop(0).wait()
    for p in procs:
        p.wait()
    work = tempfile.mkdtemp(prefix="dwbench-idle-")
    out = os.path.join(work, "out")
    log = os.path.join(work, "collector.log")
    proc = subprocess.Popen(["java", *jvm_options(), f"-Ddockwatch.output.dir={out}", f"-Ddockwatch.state.dir={work}/state",
                             "-Ddockwatch.http.port=0", "-Ddockwatch.containers.include=dwbench-idle-*", *extra_jvm(),
                             "-jar", "target/dockwatch.jar"], stdout=open(log, "w"), stderr=subprocess.STDOUT)
    try:
        while "dockwatch collecting" not in open(log).read():
            time.sleep(0.05)
        t0 = time.monotonic()
        time.sleep(30)
        at30 = sample(proc.pid)
        time.sleep(max(0, 100 - (time.monotonic() - t0)))
        at100 = sample(proc.pid)
        sh("jcmd", str(proc.pid), "GC.run")
        heap = sh("jcmd", str(proc.pid), "GC.heap_info")
        m = re.search(r"tenured generation\s+total (\d+)K, used (\d+)K", heap)
        result = {"containers": a.containers, "at_30s": at30, "at_100s": at100,
                  "old_gen_used_mb_after_full_gc": round(int(m.group(2)) / 1024, 1) if m else None,
                  "old_gen_size_mb": round(int(m.group(1)) / 1024, 1) if m else None,
                  "first_lines_read": count_log_records(out)}
        print(json.dumps(result, indent=1))
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        subprocess.run(["docker", "rm", "-f", *names], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
