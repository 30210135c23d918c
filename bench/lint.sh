#!/usr/bin/env bash
# Benchmark: `openai-keycheck lint` on a generated tree, against ripgrep
# listing the files with the same trigger words (the floor: read every
# file once) and, when installed, semgrep with equivalent rules; run
# alternately, medians and peak RSS.
#   bash bench/lint.sh        # FILES=50000, ROUNDS=5 by default
# Needs python3; ripgrep is built into bench/.tools with cargo when absent;
# semgrep is used when `semgrep` is on PATH (pip install semgrep).
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-50000}
rounds=${ROUNDS:-5}

cargo build --release --locked --quiet
rg=$(command -v rg || true)
if [ -z "$rg" ]; then
  [ -x bench/.tools/bin/rg ] || cargo install --quiet --locked --root bench/.tools ripgrep
  rg=bench/.tools/bin/rg
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/make_tree.py "$work/tree" "$files"
cat > "$work/rules.yml" <<'YAML'
rules:
  - id: client_before_dotenv
    languages: [python]
    severity: ERROR
    message: the client is created before the .env is loaded
    patterns:
      - pattern: |
          $C = OpenAI(...)
          ...
          load_dotenv(...)
YAML
echo "tree: $files files; $("$rg" --version | head -1); machine: $(nproc) cores"
# Warm the page cache once, so every contender reads from memory.
"$rg" -l -i -e openai -e dotenv -e 'sk-' "$work/tree" > /dev/null || true

seconds() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>/dev/null || true; tail -1 "$work/time"; }
declare -A times rss
contenders=(lint rg)
command -v semgrep > /dev/null && contenders+=(semgrep)
for _ in $(seq "$rounds"); do
  for c in "${contenders[@]}"; do
    case $c in
      lint) argv=(target/release/openai-keycheck lint --format json "$work/tree") ;;
      rg) argv=("$rg" -l -i -e openai -e dotenv -e 'sk-' "$work/tree") ;;
      semgrep) argv=(semgrep --metrics=off --quiet --config "$work/rules.yml" "$work/tree") ;;
    esac
    read -r t kb < <(seconds "${argv[@]}")
    times[$c]+="$t "
    (( kb > ${rss[$c]:-0} )) && rss[$c]=$kb
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
lint_median=$(median "${times[lint]}")
for c in "${contenders[@]}"; do
  m=$(median "${times[$c]}")
  printf '%-8s median %7.2f s  (lint / %s: %s)  peak RSS %s MiB\n' "$c" "$m" "$c" \
    "$(awk -v a="$lint_median" -v b="$m" 'BEGIN { printf "%.3g", a / b }')" "$(( ${rss[$c]} / 1024 ))"
done
target/release/openai-keycheck lint --format json "$work/tree" | python3 -c 'import json,sys; r=json.load(sys.stdin); print("lint found", len(r["findings"]), "findings in", r["files"]["parsed"], "parsed of", r["files"]["walked"], "files")'
