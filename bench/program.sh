#!/usr/bin/env bash
# Benchmark: what reading the program costs `doctor` (`doctor PROGRAM`), on
# a generated project, beside `lint` on the same tree (the contract: it adds
# at most what lint takes) and `doctor` without it (the floor: the sources,
# the settings, the report); offline, so no request is timed. Run
# alternately; medians (wall clock, to the millisecond) and peak RSS.
#   bash bench/program.sh     # FILES=10000, ROUNDS=11 by default
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-10000}
rounds=${ROUNDS:-11}

cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/make_tree.py "$work/tree" "$files"
echo "tree: $files files; machine: $(nproc) cores"
BIN=$PWD/target/release/openai-keycheck ROUNDS=$rounds HOME_DIR=$work python3 - "$work/tree" <<'PY'
import json, os, resource, statistics, subprocess, sys, time
tree, binary, rounds = sys.argv[1], os.environ["BIN"], int(os.environ["ROUNDS"])
env = {"HOME": os.environ["HOME_DIR"], "PATH": "/usr/bin:/bin"}
contenders = {
    "doctor PROGRAM": [binary, "doctor", "--offline", "--format", "json", "."],
    "lint": [binary, "lint", "--format", "json", "."],
    "doctor": [binary, "doctor", "--offline", "--format", "json"],
}
times = {name: [] for name in contenders}
subprocess.run(contenders["lint"], cwd=tree, env=env, capture_output=True)  # warm the cache
for _ in range(rounds):
    for name, argv in contenders.items():
        start = time.perf_counter()
        subprocess.run(argv, cwd=tree, env=env, capture_output=True)
        times[name].append(time.perf_counter() - start)
floor = statistics.median(times["doctor"])
for name in contenders:
    m = statistics.median(times[name])
    print(f"{name:<15} median {m * 1000:7.1f} ms  (adds {(m - floor) * 1000:6.1f} ms to doctor)")
print(f"peak RSS of the children: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024} MiB")
out = subprocess.run(contenders["doctor PROGRAM"], cwd=tree, env=env, capture_output=True, text=True).stdout
program = json.loads(out)["program"]
print("doctor PROGRAM read", len(program["files"]), "files;", len(program["clients"]), "clients")
PY
