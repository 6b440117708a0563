"""What the benchmarks share: process CPU and memory from /proc, and counting the sink's output."""
import os, re, subprocess

IMAGE = "dockwatch-test/busybox:latest"
LINE = "x" * 99  # + newline = 100 bytes
CLK = os.sysconf("SC_CLK_TCK")


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw).stdout.strip()


def cpu_seconds(pid):
    """utime + stime of a process (or "PID/task/TID" for one thread)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def peak_rss_mb(pid):
    m = re.search(r"VmHWM:\s+(\d+) kB", open(f"/proc/{pid}/status").read())
    return int(m.group(1)) / 1024


def docker_socket():
    """The daemon the benchmark runs on: DOCKER_HOST (unix://...) if set, as the docker CLI and the
    collector follow it, so a benchmark can run on a daemon of its own on a shared machine."""
    host = os.environ.get("DOCKER_HOST", "")
    return host[len("unix://"):] if host.startswith("unix://") else "/var/run/docker.sock"


def dockerd_pid():
    """The dockerd serving docker_socket(): the main one by its pid file, another by its command line."""
    sock = docker_socket()
    if sock == "/var/run/docker.sock":
        return int(open("/var/run/docker.pid").read().strip())
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                cmd = open(f"/proc/{pid}/cmdline").read().split("\0")
            except OSError:
                continue
            if os.path.basename(cmd[0]) == "dockerd" and "unix://" + sock in cmd:
                return int(pid)
    raise SystemExit(f"no dockerd found serving {sock}")


def dockerd_cpu_seconds():
    """CPU of the benchmark's dockerd (see docker_socket)."""
    return cpu_seconds(dockerd_pid())


def daemon_cpu_seconds():
    """dockerd plus the containerd it started: what the host pays for Docker itself."""
    dockerd = dockerd_pid()
    total = cpu_seconds(dockerd)
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                stat = open(f"/proc/{pid}/stat").read()
                name, rest = stat.split("(", 1)[1].rsplit(")", 1)
                if name == "containerd" and int(rest.split()[1]) == dockerd:
                    total += cpu_seconds(pid)
            except (OSError, IndexError, ValueError):
                pass
    return total


def thread_cpu(pid):
    """CPU seconds per thread name of a process (numbered pool threads summed), for profiling."""
    by_name = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            name = re.sub(r"-?\d+$", "-N", open(f"/proc/{pid}/task/{tid}/comm").read().strip())
            by_name[name] = by_name.get(name, 0) + cpu_seconds(f"{pid}/task/{tid}")
        except OSError:
            pass
    return dict(sorted(((k, round(v, 2)) for k, v in by_name.items() if v >= 0.05), key=lambda kv: -kv[1]))


def jvm_options():
    """The shipped jvm.options, as the container's entrypoint uses them."""
    return [l.strip() for l in open("jvm.options") if l.strip() and not l.startswith("#")]


def extra_jvm():
    """DWBENCH_JVM adds JVM options for one run, e.g. a profiler agent."""
    return os.environ.get("DWBENCH_JVM", "").split()


class LineCounter:
    """Counts the newlines in the sink's .ndjson files, reading only what was added since the last
    call: the poll must not re-read hundreds of MB each time and steal the CPU it measures."""

    def __init__(self, folder):
        self.folder, self.seen, self.lines = folder, {}, 0

    def count(self):
        for f in sorted(os.listdir(self.folder)) if os.path.isdir(self.folder) else []:
            if f.endswith(".ndjson"):
                with open(os.path.join(self.folder, f), "rb") as fh:
                    fh.seek(self.seen.get(f, 0))
                    for chunk in iter(lambda: fh.read(1 << 20), b""):
                        self.lines += chunk.count(b"\n")
                    self.seen[f] = fh.tell()
        return self.lines


def count_log_records(folder):
    """Log records in the sink's output (after the run: every line read once)."""
    n = 0
    for f in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if f.endswith(".ndjson"):
            with open(os.path.join(folder, f)) as fh:
                n += sum(1 for line in fh if '"kind":"log"' in line[:80])
    return n
