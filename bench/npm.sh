#!/usr/bin/env bash
# Benchmark: what the npm launcher costs a run. The same two commands,
# `--version` and `doctor --offline --no-env-file`, run by the binary
# directly, through the installed launcher (node node_modules/.bin/...,
# what package.json scripts run) and through `npx --no-install`; Node's own
# start (`node -e ''`) for scale. Run alternately; medians (wall clock).
#   bash bench/npm.sh [BINARY]     # ROUNDS=31 by default; BINARY: target/release/openai-keycheck
# The packages are built and installed as .ci/npm does it (--install-only),
# offline; the binary is taken as it is, not rebuilt.
set -euo pipefail
binary=${1:-$(dirname "$0")/../target/release/openai-keycheck}
[ -f "$binary" ] || { echo "no binary at $binary: build it (cargo build --release) or name one" >&2; exit 2; }
binary=$(realpath "$binary")
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-31}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash .ci/npm --install-only "$work/app" "$binary"
mkdir "$work/home"
echo "node $(node --version), npm $(npm --version); machine: $(nproc) cores, $(uname -sr), load $(cut -d" " -f1-3 /proc/loadavg)"

cd "$work/app"
ROUNDS=$rounds HOME_DIR=$work/home python3 - <<'PY'
import os, shutil, statistics, subprocess, time
rounds = int(os.environ["ROUNDS"])
node = shutil.which("node")
# No key and no npm settings from outside; npm offline, as in .ci/npm.
env = {
    "HOME": os.environ["HOME_DIR"],
    "PATH": os.pathsep.join([os.path.dirname(node), os.path.dirname(shutil.which("npx")), "/usr/bin", "/bin"]),
    "npm_config_registry": "http://127.0.0.1:9/",
    "npm_config_offline": "true",
    "npm_config_update_notifier": "false",
    "npm_config_cache": os.path.join(os.environ["HOME_DIR"], "npm-cache"),
}
ways = {
    "direct": ["node_modules/@openai-keycheck/linux-x64-gnu/openai-keycheck"],
    "launcher": [node, "node_modules/.bin/openai-keycheck"],
    "npx": ["npx", "--no-install", "openai-keycheck"],
}
commands = {"--version": ["--version"], "doctor": ["doctor", "--offline", "--no-env-file"]}
runs = {(w, c): ways[w] + args for w in ways for c, args in commands.items()}
NODE = ("node -e ''", "")
runs[NODE] = [node, "-e", ""]

def once(argv):
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start

for argv in runs.values():  # warm the page cache and npm's own files
    once(argv)
times = {key: [] for key in runs}
for _ in range(rounds):
    for key, argv in runs.items():
        times[key].append(once(argv))
median = {key: statistics.median(t) * 1000 for key, t in times.items()}
print(f"{rounds} rounds, medians in ms")
print(f"node -e ''  {median[NODE]:7.1f}  (Node's start alone)")
for c in commands:
    d = median[("direct", c)]
    print(f"{c}:")
    for w in ways:
        m = median[(w, c)]
        extra = "" if w == "direct" else f"  {m / d:6.1f}× direct, +{m - d:6.1f} ms"
        print(f"  {w:<9} {m:7.1f}{extra}")
PY
