#!/usr/bin/env bash
# Benchmark: what reading the program costs `doctor` (`doctor PROGRAM`), on
# a generated project, beside `lint` on the same tree (the contract: at most
# what lint takes) and `doctor` without it (the floor: the sources, the
# settings, the report); offline, so no request is timed. Run alternately;
# medians and peak RSS.
#   bash bench/program.sh     # FILES=10000, ROUNDS=7 by default
set -euo pipefail
cd "$(dirname "$0")/.."
files=${FILES:-10000}
rounds=${ROUNDS:-7}

cargo build --release --locked --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/make_tree.py "$work/tree" "$files"
bin=$PWD/target/release/openai-keycheck
echo "tree: $files files; machine: $(nproc) cores"
cd "$work/tree"
# Warm the page cache once.
"$bin" lint --format json . > /dev/null || true

seconds() { /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2>/dev/null || true; tail -1 "$work/time"; }
declare -A times rss
contenders=(doctor-program lint doctor)
for _ in $(seq "$rounds"); do
  for c in "${contenders[@]}"; do
    case $c in
      doctor-program) argv=(env -i HOME="$work" "$bin" doctor --offline --format json .) ;;
      lint) argv=("$bin" lint --format json .) ;;
      doctor) argv=(env -i HOME="$work" "$bin" doctor --offline --format json) ;;
    esac
    read -r t kb < <(seconds "${argv[@]}")
    times[$c]+="$t "
    (( kb > ${rss[$c]:-0} )) && rss[$c]=$kb
  done
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
program_median=$(median "${times[doctor-program]}")
for c in "${contenders[@]}"; do
  m=$(median "${times[$c]}")
  printf '%-15s median %6.3f s  (doctor PROGRAM / %s: %s)  peak RSS %s MiB\n' "$c" "$m" "$c" \
    "$(awk -v a="$program_median" -v b="$m" 'BEGIN { printf "%.3g", a / b }')" "$(( ${rss[$c]} / 1024 ))"
done
env -i HOME="$work" "$bin" doctor --offline --format json . | python3 -c 'import json,sys; p=json.load(sys.stdin)["program"]; print("doctor PROGRAM read", len(p["files"]), "files;", len(p["clients"]), "clients")'
