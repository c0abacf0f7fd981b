#!/usr/bin/env bash
# Install every toolchain the code packs run generated code with; skip what is present.
#
# Idempotent: a second run installs nothing. Debian packages go in with one
# `apt-get update` (only when something is missing), `ziglang` from PyPI into the active
# virtual environment (or .venv), `typescript` from npm. Prints what it installs and how
# long each step took. Run as root (CI is).
set -euo pipefail
cd "$(dirname "$0")/.."

ZIGLANG_VERSION=${ZIGLANG_VERSION:-0.17.1}
TYPESCRIPT_VERSION=${TYPESCRIPT_VERSION:-7.0.2}
export DEBIAN_FRONTEND=noninteractive

# command -> Debian package (python3, rustc, node, javac, gcc, g++, perl are usually present)
TOOLS=(
  "python3 python3" "rustc rustc" "cargo cargo" "node nodejs" "npm npm"
  "javac default-jdk-headless" "gcc gcc" "g++ g++" "perl perl"
  "go golang-go" "ruby ruby" "php php-cli" "lua5.4 lua5.4" "ocaml ocaml-nox"
  "mcs mono-mcs" "mono mono-runtime" "ghc ghc" "elixir elixir" "Rscript r-base-core"
  "kotlinc kotlin" "scala scala" "prlimit util-linux"
)

start_all=$SECONDS
missing=()
for entry in "${TOOLS[@]}"; do
  read -r cmd pkg <<<"$entry"
  if command -v "$cmd" >/dev/null 2>&1; then
    echo "present  $cmd"
  else
    echo "missing  $cmd (Debian package $pkg)"
    missing+=("$pkg")
  fi
done

php -r 'exit(function_exists("mb_str_split") ? 0 : 1);' 2>/dev/null || missing+=("php-mbstring")
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  t=$SECONDS
  echo "installing Debian packages: ${missing[*]}"
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "installed ${#missing[@]} Debian package(s) in $((SECONDS - t)) s"
fi

if [[ -n "${VIRTUAL_ENV:-}" ]]; then
  py="$VIRTUAL_ENV/bin/python"
elif [[ -x .venv/bin/python ]]; then
  py=.venv/bin/python
else
  py=python3
fi
if "$py" -m ziglang version >/dev/null 2>&1; then
  echo "present  zig ($("$py" -m ziglang version))"
else
  t=$SECONDS
  echo "installing ziglang==$ZIGLANG_VERSION from PyPI into $("$py" -c 'import sys; print(sys.prefix)')"
  "$py" -m pip install -q "ziglang==$ZIGLANG_VERSION"
  echo "installed zig $("$py" -m ziglang version) in $((SECONDS - t)) s"
fi

if command -v tsc >/dev/null 2>&1; then
  echo "present  tsc ($(tsc --version))"
else
  t=$SECONDS
  echo "installing typescript@$TYPESCRIPT_VERSION from npm"
  npm install -g --silent "typescript@$TYPESCRIPT_VERSION" >/dev/null
  echo "installed $(tsc --version) in $((SECONDS - t)) s"
fi

echo "toolchains ready in $((SECONDS - start_all)) s"
