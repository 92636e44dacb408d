#!/usr/bin/env bash
# Builds and runs the host unit tests of the firmware's pure modules (firmware/core), with the
# address and undefined-behaviour sanitizers. Prints "N passed, M failed"; exits non-zero on failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="$root/build/test"
bin="$out/host_tests"

if ! command -v gcc >/dev/null 2>&1; then
  echo "test/run.sh: gcc not found: apt-get install gcc" >&2
  exit 1
fi
mkdir -p "$out"

# firmware/core must compile for the host: it holds the pure logic and no AVR register access.
gcc -std=c11 -O1 -g -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all \
  -fno-omit-frame-pointer -I"$root/firmware/core" -I"$here" \
  -o "$bin.$$" "$root"/firmware/core/*.c "$here"/*.c
mv -f "$bin.$$" "$bin" # renamed into place: parallel runs never execute a half-written binary

ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  "$bin" "$root/test-vectors.txt" "$root/test-vectors.json"
