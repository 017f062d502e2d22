"""CPU seconds of a command, split by the processes it starts (LibreOffice, the converters,
the forked Word workers, our own process).

    .venv/bin/python bench/cpu_by_process.py -- .venv/bin/handbook build text docx pdf \\
        forms site --root /tmp/hb38/r38 --out /tmp/split --quiet

Every process started after the command is sampled from /proc every 20 ms and its last
reading kept, so a process that lives less than 20 ms is missed and each loses at most its
last 20 ms: the sum comes out a little under the command's total (`usage` in run.py), which
is printed beside it. Processes are grouped by their name and command line.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int | str) -> tuple[str, list[str]]:
    """A process's name and the fields of /proc/PID/stat after it (field 19 = its start,
    in clock ticks after boot; 11 and 12 = its user and system CPU ticks)."""
    name, rest = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)
    return name.split("(", 1)[1], rest.split()


def _readings(since: int) -> dict[tuple[str, int], tuple[float, str]]:
    """CPU seconds and a label of every process started at or after `since` (clock ticks
    after boot)."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            name, fields = _stat(pid)
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[19]) < since:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / TICK
        label = f"{name}: {command.split(' -env')[0][:70]}".rstrip(": ")
        found[(pid, int(fields[19]))] = (seconds, label)
    return found


def main(command: list[str]) -> None:
    """Run command and print its CPU split by process."""
    before = os.times()
    process = subprocess.Popen(command)
    started = int(_stat(process.pid)[1][19])
    seen: dict = {}
    while process.poll() is None:
        for key, (seconds, label) in _readings(started).items():
            known = seen.get(key, (0.0, ""))[1]  # an exiting process has no command line
            seen[key] = (seconds, label if len(label) > len(known) else known)
        time.sleep(0.02)
    after = os.times()
    groups: dict[str, float] = collections.defaultdict(float)
    for seconds, label in seen.values():
        groups[label] += seconds
    for label, seconds in sorted(groups.items(), key=lambda item: -item[1]):
        if seconds >= 0.02:
            print(f"{seconds:7.2f} s  {label}")
    total = after.children_user + after.children_system - before.children_user \
        - before.children_system
    print(f"{sum(groups.values()):7.2f} s  sampled; {total:.2f} s in all (os.times)")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(arguments[1:] if arguments[:1] == ["--"] else arguments)
