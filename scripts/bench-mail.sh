#!/usr/bin/env bash
# Times `agora import` of the common mailing-list workload (../shared/bench/gen_mbox.py, 100,000
# messages by default) into a new cache, with wall time and peak memory from /usr/bin/time, then
# neomutt opening the same file (`neomutt -f FILE`, quitting once it is open, in a pseudo-terminal)
# when it is installed, then the reader's first frame on the cache.
#   scripts/bench-mail.sh [MESSAGES] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
messages=${1:-100000}
runs=${2:-3}
source scripts/bench-common.sh
bench_work bench-mail
mbox="$work/list.mbox"
python3 ../shared/bench/gen_mbox.py "$messages" "$mbox" >&2
bench_machine
echo "Archive: $messages messages, $(( $(stat -c %s "$mbox") / 1048576 )) MiB"
agora_imports "$mbox" "$runs"
if command -v neomutt >/dev/null 2>&1; then
    printf 'set folder=%s\nset spoolfile=%s\nset quit=yes\n' "$work" "$mbox" > "$work/neomuttrc"
    for run in $(seq 1 "$runs"); do
        python3 - "$work/neomuttrc" "$mbox" <<'PY'
import os, pty, resource, select, signal, sys, time
pid, fd = pty.fork()
if pid == 0:
    os.environ["TERM"] = "xterm-256color"
    os.execvp("neomutt", ["neomutt", "-n", "-F", sys.argv[1], "-f", sys.argv[2], "-e", "push <quit>"])
start = time.perf_counter()
while time.perf_counter() < start + 300:
    if select.select([fd], [], [], 1)[0]:
        try:
            if not os.read(fd, 65536): break
        except OSError: break
else:
    os.kill(pid, signal.SIGKILL)
os.waitpid(pid, 0)
print(f"neomutt    {time.perf_counter() - start:6.2f} s  {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024:5d} MiB")
PY
    done
else
    echo "neomutt: not installed (apt-get install neomutt), not measured"
fi
python3 scripts/bench-reader.py "$work/cache.sqlite" .build/release/agora --runs 10
