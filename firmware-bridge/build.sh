#!/usr/bin/env bash
# Builds the drive-base firmware (firmware/core + firmware/avr) into build/drive.elf and
# build/drive.hex for the ATmega328P at 16 MHz, then prints its flash and RAM use.
# Rebuilds only when a source, header or this script is newer than the hex; FORCE=1 always does.
#   build.sh [--out DIR]   DIR instead of build/ (the command line builds into a per-user cache
#                          folder when the package's own build/ has no hex, never into the package)
# Run at test time (npm test) and by `npm run build:firmware`; never by the robot at run time
# inside the package, so a read-only installation works once it is built.
set -euo pipefail

# No dirname: with the toolchain missing the message below must still be reached on a bare PATH.
script="${BASH_SOURCE[0]}"
case "$script" in */*) here="$(cd "${script%/*}" && pwd)" ;; *) here="$(pwd)" ;; esac
src="$here/firmware"
out="$here/build"
if [ "${1:-}" = --out ] && [ -n "${2:-}" ]; then
  out="$2"
elif [ $# -gt 0 ]; then
  echo "build.sh: unknown arguments: $* (usage: build.sh [--out DIR])" >&2
  exit 2
fi
elf="$out/drive.elf"
hex="$out/drive.hex"

for tool in avr-gcc:gcc-avr avr-objcopy:binutils-avr avr-size:binutils-avr; do
  if ! command -v "${tool%%:*}" >/dev/null 2>&1; then
    echo "build.sh: ${tool%%:*} not found: install the AVR toolchain: apt-get install gcc-avr avr-libc (package ${tool#*:})" >&2
    exit 1
  fi
done
if ! echo '#include <avr/io.h>' | avr-gcc -mmcu=atmega328p -E - >/dev/null 2>&1; then
  echo "build.sh: avr-libc headers not found: apt-get install gcc-avr avr-libc" >&2
  exit 1
fi

if ! mkdir -p "$out" 2>/dev/null || [ ! -w "$out" ]; then
  echo "build.sh: cannot write to $out: give a writable folder with --out DIR" >&2
  exit 1
fi
sources=("$src"/core/*.c "$src"/avr/*.c)

stale=1
if [ "${FORCE:-0}" != 1 ] && [ -f "$hex" ] && [ -f "$elf" ]; then
  if [ -z "$(find "$src" "$here/build.sh" -newer "$hex" \( -name '*.c' -o -name '*.h' -o -name build.sh \) -print -quit)" ]; then
    stale=0
  fi
fi

if [ "$stale" = 1 ]; then
  # Written under per-process names and renamed into place, so builds started at the same time
  # (test files running in parallel) never see a half-written hex.
  tmp="$out/.drive.$$"
  trap 'rm -f "$tmp.elf" "$tmp.hex"' EXIT
  # -Os: flash is the scarce resource; gc-sections drops codec helpers only the host tests use.
  avr-gcc -mmcu=atmega328p -DF_CPU=16000000UL -std=c11 -Os -Wall -Wextra -Werror \
    -ffunction-sections -fdata-sections -Wl,--gc-sections \
    -I"$src/core" -I"$src/avr" \
    -o "$tmp.elf" "${sources[@]}"
  avr-objcopy -O ihex -R .eeprom "$tmp.elf" "$tmp.hex"
  mv -f "$tmp.elf" "$elf"
  mv -f "$tmp.hex" "$hex"
  echo "build.sh: built $hex"
else
  echo "build.sh: $hex is up to date"
fi

avr-size -C --mcu=atmega328p "$elf"
