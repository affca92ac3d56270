#!/usr/bin/env python3
"""Times the reader from process start to its first frame, in a pseudo-terminal.

    scripts/bench-reader.py CACHE [AGORA] [--runs N] [--size 120x40]

Runs `agora --cache CACHE` with AGORA_EXIT_AFTER_FIRST_FRAME=1 (the reader quits once its first
frame is drawn) in a pty of the given size, N times, and prints the median and the 99th
percentile of the wall time, and the peak RSS of the runs. Standard library only.
"""
import argparse
import fcntl
import os
import pty
import resource
import statistics
import struct
import termios
import time


def run_once(agora, cache, cols, rows):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, TERM="xterm-256color", AGORA_EXIT_AFTER_FIRST_FRAME="1")
        os.execve(agora, [agora, "--cache", cache], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    start = time.perf_counter()
    while True:
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    _, status = os.waitpid(pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    os.close(fd)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"agora exited with {os.waitstatus_to_exitcode(status)}")
    return elapsed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("cache")
    parser.add_argument("agora", nargs="?", default=".build/release/agora")
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    cols, rows = (int(n) for n in args.size.split("x"))
    agora = os.path.realpath(args.agora)
    times = sorted(run_once(agora, args.cache, cols, rows) for _ in range(args.runs))
    p99 = times[min(len(times) - 1, int(0.99 * len(times) + 0.999) - 1)]
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"First frame at {args.size}, {args.runs} runs: median {statistics.median(times):.1f} ms, "
          f"p99 {p99:.1f} ms (target 20 ms); peak RSS {rss:.1f} MiB (target 20 MiB)")


if __name__ == "__main__":
    main()
