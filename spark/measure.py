"""Runs one command and reports its wall time, peak memory and CPU time: the peak of the summed resident set of the
whole process tree (Spark's driver is a Python process with a JVM child and Python workers), and the CPU seconds of
every process in the tree, sampled every 0.2 s. On a shared machine CPU time is the steadier figure.

    python spark/measure.py LABEL LINES -- COMMAND...

Prints `LABEL: wall S s, peak RSS M MiB (process tree), R rows/s` and appends the same as a JSON line to
target/scale/results.jsonl.
"""

import json
import os
import subprocess
import sys
import time


TICK = os.sysconf("SC_CLK_TCK")


def tree_sample(root, cpu):
    """The summed RSS (KiB) of `root`'s process tree now; `cpu` (pid -> seconds so far) is updated in place."""
    children = {}
    rss = {}
    ticks = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            ticks[int(pid)] = (int(fields[11]) + int(fields[12])) / TICK
            with open(f"/proc/{pid}/status") as f:
                kb = next((int(line.split()[1]) for line in f if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(pid))
        rss[int(pid)] = kb
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        if p in ticks:
            cpu[p] = max(cpu.get(p, 0.0), ticks[p])
        stack.extend(children.get(p, []))
    return total


def main():
    label, lines = sys.argv[1], int(sys.argv[2])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    start = time.time()
    proc = subprocess.Popen(cmd)
    peak, cpu = 0, {}
    while proc.poll() is None:
        peak = max(peak, tree_sample(proc.pid, cpu))
        time.sleep(0.2)
    cpu_s = sum(cpu.values())
    wall = time.time() - start
    if proc.returncode != 0:
        sys.exit(f"{label}: exit {proc.returncode}")
    load = os.getloadavg()[0]
    r = dict(label=label, lines=lines, wall_s=round(wall, 1), peak_rss_mib=round(peak / 1024), rows_per_s=round(
        lines / wall), cpu_s=round(cpu_s, 1), rows_per_cpu_s=round(lines / max(cpu_s, 1e-9)), load1=round(load, 1))
    print(f"{label}: wall {wall:.1f} s, peak RSS {peak / 1024:.0f} MiB (process tree), {lines / wall:,.0f} rows/s; "
          f"CPU {cpu_s:.1f} s (sampled), {lines / max(cpu_s, 1e-9):,.0f} rows per CPU-second (1-min load {load:.1f})")
    os.makedirs("target/scale", exist_ok=True)
    with open("target/scale/results.jsonl", "a") as f:
        f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
