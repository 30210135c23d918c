#!/usr/bin/env bash
# Installs the openai-keycheck this Action belongs to, the version in the
# Cargo.toml beside it, and nothing else:
#   - released (action/requirements.txt pins that version): its wheel from
#     PyPI into a fresh venv, accepted only if its sha256 is one of those
#     pinned (pip --require-hashes --no-deps --only-binary :all:);
#   - not released yet (no pin for that version, as before the first release
#     or between a version bump and its release): built from this very source
#     with `cargo install --locked`, Cargo.lock pinning every crate by checksum.
# A `version` input naming another version stops here: no path installs code
# that nothing in this commit vouches for.
# Writes `path` (the binary) and `version` to $GITHUB_OUTPUT.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
pin="$here/requirements.txt"

fail() {
  echo "::error title=openai-keycheck Action::$*"
  exit 1
}

# Nothing that installs or builds sees a credential: the key, the doctor's
# other variables and whatever is named like a secret are unset here (the
# next step, the doctor's, still has them).
shopt -s nocasematch
for name in $(compgen -e); do
  case "$name" in
    OPENAI_* | AZURE_OPENAI_* | *KEY* | *TOKEN* | *SECRET* | *PASSWORD* | *PASSWD* | *CREDENTIAL*)
      unset "$name" 2>/dev/null || true
      ;;
  esac
done
shopt -u nocasematch

# Cargo.toml's first `version = "…"` line is the package's.
source_version=$(sed -n 's/^version = "\([^"]*\)"$/\1/p' "$root/Cargo.toml" | sed -n 1p)
rust_version=$(sed -n 's/^rust-version = "\([^"]*\)"$/\1/p' "$root/Cargo.toml" | sed -n 1p)
[ -n "$source_version" ] || fail "no package version in $root/Cargo.toml"

# The version as the wheels name it (PEP 440, as maturin writes it):
# 1.2.3-rc.1 is 1.2.3rc1. Any other form matches no pin, so it is built.
pep440() {
  if [[ $1 =~ ^([0-9]+\.[0-9]+\.[0-9]+)(-(alpha|beta|rc)\.?([0-9]+))?$ ]]; then
    case "${BASH_REMATCH[3]}" in
      alpha) echo "${BASH_REMATCH[1]}a${BASH_REMATCH[4]}" ;;
      beta) echo "${BASH_REMATCH[1]}b${BASH_REMATCH[4]}" ;;
      rc) echo "${BASH_REMATCH[1]}rc${BASH_REMATCH[4]}" ;;
      *) echo "${BASH_REMATCH[1]}" ;;
    esac
  else
    echo "$1"
  fi
}
wheel_version=$(pep440 "$source_version")
pinned=$(sed -n 's/^openai-keycheck==\([^ \\]*\).*$/\1/p' "$pin" 2>/dev/null | sed -n 1p)

requested=${VERSION:-}
if [ -n "$requested" ]; then
  # Checked before it is printed: an input never reaches a workflow command unchecked.
  [[ $requested =~ ^[0-9]+(\.[0-9]+)*([.+-]?[A-Za-z0-9.]+)?$ ]] ||
    fail "the version input is not an exact version (like $source_version); leave it empty for the one this Action belongs to"
  if [ "$requested" != "$source_version" ] && [ "$requested" != "$wheel_version" ]; then
    fail "this Action runs openai-keycheck $source_version, pinned by hash, and no other version: version: $requested is refused rather than installed unchecked. To run $requested, use the Action at the commit of that release (uses: openai-keycheck/openai-keycheck@<commit> # v$requested), or leave version empty."
  fi
fi

tmp_root=${RUNNER_TEMP:-${TMPDIR:-/tmp}}
if command -v cygpath >/dev/null 2>&1; then tmp_root=$(cygpath -u "$tmp_root"); fi
dest=$(mktemp -d "$tmp_root/openai-keycheck.XXXXXX")
# Away from the workspace: no .env, pip.conf or .cargo/config.toml of the
# repository under test takes part in the install.
cd "$dest"

find_python() {
  local py
  for py in python3 python; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(sys.version_info < (3, 8))' >/dev/null 2>&1; then
      echo "$py"
      return 0
    fi
  done
  return 1
}

if [ -n "$pinned" ] && [ "$pinned" = "$wheel_version" ]; then
  how="PyPI, the wheel pinned by sha256 in action/requirements.txt"
  python=$(find_python) ||
    fail "installing the pinned wheel of openai-keycheck $source_version needs Python 3.8 or newer: add actions/setup-python before this step"
  "$python" -m venv "$dest/venv"
  venv_python="$dest/venv/bin/python"
  [ -x "$venv_python" ] || venv_python="$dest/venv/Scripts/python.exe"
  "$venv_python" -m pip install --no-input --disable-pip-version-check --no-cache-dir \
    --require-hashes --no-deps --only-binary :all: --requirement "$pin"
  bin="$dest/venv/bin/openai-keycheck"
  [ -e "$bin" ] || bin="$dest/venv/Scripts/openai-keycheck.exe"
else
  how="this Action's own source, built as its Cargo.lock pins it"
  if [ -n "$pinned" ]; then
    echo "::notice title=openai-keycheck Action::action/requirements.txt pins $pinned but this source is $source_version, not released yet: building it"
  fi
  command -v cargo >/dev/null 2>&1 ||
    fail "openai-keycheck $source_version has no release yet, so this Action builds it from its own source, which needs cargo (Rust $rust_version or newer) on the runner: install a Rust toolchain before this step, or use the Action at the commit of a release"
  # The release profile's LTO and single codegen unit only make a smaller
  # binary, at minutes of build time; this one is used once and dropped.
  CARGO_TARGET_DIR="$dest/target" CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --locked --path "$root" --root "$dest/cargo"
  bin="$dest/cargo/bin/openai-keycheck"
  [ -e "$bin" ] || bin="$bin.exe"
fi

said=$("$bin" --version) || fail "the installed openai-keycheck does not run"
[ "$said" = "openai-keycheck $source_version" ] ||
  fail "the installed binary says \"$said\", not openai-keycheck $source_version"
echo "openai-keycheck $source_version from $how: $bin"
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "path=$bin"
    echo "version=$source_version"
  } >>"$GITHUB_OUTPUT"
fi
