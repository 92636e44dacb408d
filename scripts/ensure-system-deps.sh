#!/usr/bin/env bash
# Installs the Debian packages the project needs when they are missing (fresh Debian 12, as root).
# Each capability adds its packages to NEEDED:
# - gcc-avr, avr-libc: build the drive-base firmware (firmware-bridge/) into a .hex; npm test then
#   builds it (npm run build:firmware), so the command line never has to at run time
# - gcc, make: build and run the firmware's C unit tests on the host
# - socat: a pair of linked ptys, so the emulated board stands behind a real serial device
# - procps: pgrep, with which the pty tests check that no socat outlives its bridge
# - ffmpeg: camera sources (video files, V4L2) for perception
# - espeak-ng: the robot's voice; the kiosk plays its phrases as WAV rendered on the robot (fi, sv, en)
# - sox: the speech tests read the rendered WAV's channels and length with soxi
# - chromium: the console and kiosk browser tests drive Debian's build through playwright-core (no
#   browser is ever downloaded); without recommends, so no desktop extras come with it
# - python3-zstandard: scripts/mcap_check.py, the independent check of MCAP recordings, reads their
#   zstd chunks with it (Debian's python3, /usr/bin/python3)
# - ignition-tools, libsdformat12-12, sdformat-sdf, libsdformat-dev: `ign sdf -k`, with which the
#   tests check every exported Gazebo world is valid SDFormat (Debian has SDFormat but no Gazebo
#   simulator); `ign` finds its `sdf` command through sdformat12.yaml, which only libsdformat-dev
#   installs
# - nats-server: the fleet's broker (NATS with JetStream); the fleet tests start their own on a
#   loopback port, and no service is started on install
# The photographs and the clip the perception tests run on are committed in test/fixtures/.
#
# `ensure-system-deps.sh run` (what `npm start` calls) needs only what the running robot uses:
# espeak-ng for its voice. Run as a user who cannot install, it says so and goes on: the robot
# runs without a voice and the kiosk shows its words.
set -euo pipefail
NEEDED=(gcc-avr avr-libc gcc make socat procps ffmpeg espeak-ng sox chromium python3-zstandard
  ignition-tools libsdformat12-12 sdformat-sdf libsdformat-dev nats-server)
if [ "${1:-}" = "run" ]; then
  NEEDED=(espeak-ng)
fi
missing=()
for pkg in "${NEEDED[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ] && [ "${1:-}" = "run" ]; then
    echo "note: ${missing[*]} missing and not root: running without a voice (apt-get install --no-install-recommends ${missing[*]})" >&2
    exit 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: need root to install ${missing[*]} (apt-get install --no-install-recommends ${missing[*]})" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
