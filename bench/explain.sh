#!/usr/bin/env bash
# Benchmark: `openai-keycheck explain` on a large log, against `grep -c` on
# the same file (the floor for reading a file and looking at every line).
#   bash bench/explain.sh          # SIZE_MB=1024, ROUNDS=5 by default
#   NOISE=dense bash bench/explain.sh   # one line in four says "error" without being one
# Reports the median times, explain's ratio to grep, and explain's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${SIZE_MB:-1024}
rounds=${ROUNDS:-5}

cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/app.log"
python3 bench/make_log.py "$log" "$size_mb" tests/fixtures/explain/python1_invalid_api_key.txt ${NOISE:-}
echo "log: $(du -h "$log" | cut -f1), $(wc -l < "$log") lines; grep: $(grep --version | head -1); machine: $(nproc) cores"

# Warm the page cache once, so both read from memory.
cat "$log" > /dev/null
# The diagnosis exits 1: time then writes a line about it before its figures.
seconds() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" || true; tail -1 "$work/time"; }
grep_times=(); explain_times=(); rss=0
for _ in $(seq "$rounds"); do
  read -r t _ < <(seconds env LC_ALL=C grep -c error "$log")
  grep_times+=("$t")
  read -r t kb < <(seconds target/release/openai-keycheck explain "$log" --format json)
  explain_times+=("$t")
  if (( kb > rss )); then rss=$kb; fi
done
python3 - "$work/out" "$rss" "${grep_times[*]}" "${explain_times[*]}" <<'PY'
import json, statistics, sys
report = json.load(open(sys.argv[1]))
rss_kib = int(sys.argv[2])
g = statistics.median(map(float, sys.argv[3].split()))
e = statistics.median(map(float, sys.argv[4].split()))
occ = ", ".join(f"{o['count']} × {o['id']}" for o in report["explain"]["occurrences"])
print(f"diagnosis: {report['diagnosis']['id']}; occurrences: {occ}")
print(f"grep -c error: {g:.2f} s   explain: {e:.2f} s   ratio: {e / g:.2f}×   explain peak RSS: {rss_kib / 1024:.1f} MiB")
PY
