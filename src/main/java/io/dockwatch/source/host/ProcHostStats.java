package io.dockwatch.source.host;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dockwatch.record.Fields;
import io.dockwatch.record.Json;
import io.dockwatch.record.Kind;
import io.dockwatch.record.Record;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Host statistics read from a proc root ({@code /proc}, or the host's {@code /proc} mounted at
 * {@code /host/proc} when the collector runs in a container).
 *
 * <p>Mounts and network counters are per namespace: {@code <proc>/mounts} and {@code <proc>/net/dev}
 * show the reading process's own namespaces, which in a container are the container's. So both
 * are read from PID 1 ({@code <proc>/1/mounts}, {@code <proc>/1/net/dev}), which with the host's
 * proc is the host's init; where PID 1's files cannot be read, the reader's own are used. Mount
 * points are measured under {@code hostRoot} ({@code /} on the host, {@code /hostfs} with the
 * host's root mounted there), one per device, real file systems only.
 */
public final class ProcHostStats {
    /** Kernel and container plumbing, not disks a user watches for space. */
    private static final Set<String> PSEUDO_FILESYSTEMS = Set.of("autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2",
            "configfs", "debugfs", "devpts", "devtmpfs", "efivarfs", "fusectl", "hugetlbfs", "mqueue", "nsfs", "overlay",
            "proc", "pstore", "ramfs", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs", "tmpfs", "tracefs",
            "fuse.lxcfs", "aufs", "shm", "nfsd");
    /** Containers' veth ends: one per container, already counted in each container's stats. */
    private static final String CONTAINER_VETH_PREFIX = "veth";
    private static final String INIT_PID = "1";
    private static final double PERCENT = 100.0;
    private static final long KIB = 1024L;

    /** Cumulative jiffies of /proc/stat's first line. */
    public record CpuTimes(long busy, long total, int cpus) {
    }

    private final Path proc;
    private final Path hostRoot;

    public ProcHostStats(Path proc, Path hostRoot) {
        this.proc = proc;
        this.hostRoot = hostRoot;
    }

    public boolean available() {
        return Files.isReadable(proc.resolve("stat"));
    }

    public CpuTimes cpu() throws IOException {
        long busy = 0;
        long total = 0;
        int cpus = 0;
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                // user nice system idle iowait irq softirq steal (guest time is already in user)
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    long v = Long.parseLong(f[i]);
                    total += v;
                    if (i != 4 && i != 5) { // idle and iowait are not busy
                        busy += v;
                    }
                }
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        return new CpuTimes(busy, total, cpus);
    }

    /** Host CPU percent between two readings: all cores busy = 100. */
    public static Double cpuPercent(CpuTimes before, CpuTimes after) {
        long total = after.total() - before.total();
        if (total <= 0) {
            return null;
        }
        return Math.round((double) (after.busy() - before.busy()) / total * PERCENT * 100.0) / 100.0;
    }

    /** One host.stats record; CPU percent over the time since {@code previousCpu}. */
    public Record record(CpuTimes previousCpu, CpuTimes currentCpu, String hostName, Instant when) throws IOException {
        Record r = Record.of(Kind.HOST_STATS, when);
        r.put(Fields.HOST_NAME, hostName);
        if (previousCpu != null) {
            Double percent = cpuPercent(previousCpu, currentCpu);
            if (percent != null) {
                r.put(Fields.STATS_CPU_PERCENT, Json.NODES.numberNode(percent));
            }
        }
        r.put(Fields.STATS_CPU_COUNT, currentCpu.cpus());
        String[] load = Files.readString(proc.resolve("loadavg")).trim().split("\\s+");
        r.put(Fields.STATS_LOAD_1, Json.NODES.numberNode(Double.parseDouble(load[0])));
        r.put(Fields.STATS_LOAD_5, Json.NODES.numberNode(Double.parseDouble(load[1])));
        r.put(Fields.STATS_LOAD_15, Json.NODES.numberNode(Double.parseDouble(load[2])));
        for (String line : Files.readAllLines(proc.resolve("meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                r.put(Fields.STATS_MEMORY_TOTAL_BYTES, kib(line));
            } else if (line.startsWith("MemAvailable:")) {
                r.put(Fields.STATS_MEMORY_AVAILABLE_BYTES, kib(line));
            }
        }
        r.put(Fields.STATS_FILESYSTEM, filesystems());
        r.put(Fields.STATS_NETWORK, network());
        return r;
    }

    private static long kib(String meminfoLine) {
        String[] f = meminfoLine.trim().split("\\s+");
        return Long.parseLong(f[1]) * KIB;
    }

    /** {@code <proc>/1/<name>} when readable (the host's namespaces), else {@code <proc>/<name>}. */
    Path initOrSelf(String name) {
        Path init = proc.resolve(INIT_PID).resolve(name);
        return Files.isReadable(init) ? init : proc.resolve(name);
    }

    ArrayNode filesystems() throws IOException {
        ArrayNode list = Json.NODES.arrayNode();
        Set<String> devices = new HashSet<>();
        for (String line : readLinesQuietly(initOrSelf("mounts"))) {
            String[] f = line.split(" ");
            if (f.length < 3) {
                continue;
            }
            String device = unescape(f[0]);
            String mount = unescape(f[1]);
            String type = f[2];
            if (PSEUDO_FILESYSTEMS.contains(type) || !devices.add(device)) {
                continue; // a bind mount or a second mount of a device: counted once, at its first mount
            }
            Path where = hostRoot.resolve(mount.substring(1));
            try {
                FileStore store = Files.getFileStore(where);
                long total = store.getTotalSpace();
                if (total == 0) {
                    continue;
                }
                ObjectNode fs = list.addObject();
                fs.put("mount", mount);
                fs.put("device", device);
                fs.put("type", type);
                fs.put("total_bytes", total);
                fs.put("used_bytes", total - store.getUnallocatedSpace());
                fs.put("available_bytes", store.getUsableSpace());
            } catch (IOException | SecurityException e) {
                // not visible from here (not mounted into the collector's container): left out
            }
        }
        return list;
    }

    ArrayNode network() throws IOException {
        ArrayNode list = Json.NODES.arrayNode();
        List<String> lines = readLinesQuietly(initOrSelf("net/dev"));
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // the two header lines
            }
            String name = line.substring(0, colon).trim();
            if (name.startsWith(CONTAINER_VETH_PREFIX)) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            ObjectNode nic = list.addObject();
            nic.put("interface", name);
            nic.put("rx_bytes", Long.parseLong(f[0]));
            nic.put("tx_bytes", Long.parseLong(f[8]));
        }
        return list;
    }

    private static List<String> readLinesQuietly(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    /** /proc/mounts writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
