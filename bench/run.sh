#!/usr/bin/env bash
# Benchmark: openai-keycheck doctor against curl and the official Python SDK,
# all three talking to the same local TLS server, run alternately.
#   bash bench/run.sh            # ROUNDS=30 by default
# Needs: the Rust toolchain, curl, python3 (the SDK is installed in bench/.venv).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --release --locked --quiet
cargo build --release --locked --quiet --example tls_server

venv=bench/.venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check openai
fi
echo "python SDK: $("$venv/bin/python" -c 'import openai; print(openai.__version__)'), curl: $(curl --version | head -1 | cut -d' ' -f2)"
echo "machine: $(nproc) cores, $(uname -sr)"

work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
target/release/examples/tls_server "$work/ca.pem" > "$work/port" &
server=$!
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
port=$(cat "$work/port")

python3 bench/harness.py target/release/openai-keycheck "$port" "$work/ca.pem" "$venv/bin/python"
