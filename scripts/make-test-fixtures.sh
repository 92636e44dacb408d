#!/usr/bin/env bash
# Rebuilds the photographs and the clip in test/fixtures/ from their public-domain and CC0 sources
# (test/fixtures/CREDITS.md says which, and what is done to each). The tests read only the
# committed files: run this to check or change how a fixture is made, not before testing.
#
# Needs ffmpeg (with libx264) and the sources, which Debian's python3-skimage ships in
# SKIMAGE_DATA; the same files are in scikit-image's repository under skimage/data/.
#
#   SKIMAGE_DATA=path/to/skimage/data bash scripts/make-test-fixtures.sh [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
SKIMAGE_DATA="${SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}"
OUT="${1:-test/fixtures}"

for f in astronaut.png rocket.jpg coffee.png brick.png; do
  if [ ! -f "$SKIMAGE_DATA/$f" ]; then
    echo "error: $SKIMAGE_DATA/$f is missing: set SKIMAGE_DATA to scikit-image's data folder" >&2
    echo "       (Debian: apt-get install python3-skimage)" >&2
    exit 1
  fi
done
command -v ffmpeg >/dev/null || { echo "error: ffmpeg is missing (apt-get install ffmpeg)" >&2; exit 1; }
mkdir -p "$OUT"

# -bitexact keeps ffmpeg's version out of the files, so a rebuild with the same ffmpeg is identical.
ff() { ffmpeg -hide_banner -loglevel error -nostdin -y "$@"; }

# The astronaut's head and shoulders (x 100–360, y 20–300 of astronaut.png), pasted into the
# small-face photograph and the clip. Her face is hand-marked at x 175–270, y 80–180 (95 × 100 px).
HEAD='crop=260:280:100:20'

# --- Still photographs -------------------------------------------------------------------------
# astronaut.jpg: the 512 × 512 photograph as a JPEG (quality ~92): one face, 1/12 of the PNG's size.
ff -i "$SKIMAGE_DATA/astronaut.png" -frames:v 1 -q:v 3 -pix_fmt yuvj444p -bitexact "$OUT/astronaut.jpg"
# rocket.jpg: unchanged (tests cut it at byte 60 000, inside its scan).
cp "$SKIMAGE_DATA/rocket.jpg" "$OUT/rocket.jpg"
# coffee.png: 600 × 400 → 300 × 200, RGB: a face-free scene, and the RGB PNG of the decoder tests.
ff -i "$SKIMAGE_DATA/coffee.png" -vf 'scale=300:200:flags=area' -frames:v 1 -pix_fmt rgb24 \
  -compression_level 9 -bitexact "$OUT/coffee.png"
# brick.png: the top-left 256 × 256 of the 512 × 512 wall, 8-bit grayscale.
ff -i "$SKIMAGE_DATA/brick.png" -vf 'crop=256:256:0:0' -frames:v 1 -pix_fmt gray \
  -compression_level 9 -bitexact "$OUT/brick.png"
# palette.png: coffee.png shrunk to 10 × 10, stored with a colour palette (PNG colour type 3).
ff -i "$SKIMAGE_DATA/coffee.png" -vf 'scale=10:10:flags=area' -frames:v 1 -pix_fmt pal8 \
  -bitexact "$OUT/palette.png"
# small-face.jpg: the head and shoulders at 0.45 scale (face ≈ 43 × 45 px) pasted at (380, 150) on
# rocket.jpg: a face too small for the front model's range, found by the full-range back model.
ff -i "$SKIMAGE_DATA/rocket.jpg" -i "$SKIMAGE_DATA/astronaut.png" \
  -filter_complex "[1:v]$HEAD,scale=117:126[head];[0:v][head]overlay=380:150" \
  -frames:v 1 -q:v 3 -pix_fmt yuvj444p -bitexact "$OUT/small-face.jpg"

# --- face-pan.mp4: one face crossing the frame and coming closer -------------------------------
# 640 × 480 at 25 frames/s, 120 frames (4.8 s): 2 black frames, then 118 frames of the head and
# shoulders gliding left to right over brick.png (the wall, scaled to fill the frame) while growing
# from 1.1× to 1.4× (face about 100 → 140 px wide as detected) and bobbing a little, as a customer walking up
# behind the robot would. A 440 Hz tone as its sound track: a video with audio, as cameras record.
FPS=25
LEAD=2
MOVING=118
seconds() { awk -v n="$1" -v fps=$FPS 'BEGIN { print n / fps }'; }
# p: progress 0 → 1 over the moving frames (n counts from the first of them).
P="(n/$((MOVING - 1)))"
S="(1.1+0.3*$P)"
ff \
  -f lavfi -i "color=c=black:s=640x480:r=$FPS:d=$(seconds $LEAD)" \
  -loop 1 -framerate $FPS -t "$(seconds $MOVING)" -i "$SKIMAGE_DATA/brick.png" \
  -loop 1 -framerate $FPS -t "$(seconds $MOVING)" -i "$SKIMAGE_DATA/astronaut.png" \
  -f lavfi -i "sine=frequency=440:sample_rate=16000:duration=$(seconds $((LEAD + MOVING)))" \
  -filter_complex "\
[1:v]scale=640:640,crop=640:480:0:80,format=yuv420p[wall];\
[2:v]$HEAD,scale=w='2*trunc(130*$S)':h='2*trunc(140*$S)':eval=frame[head];\
[wall][head]overlay=x='40+$P*(640-80-260*$S)':y='(480-280*$S)/2+12*sin(2*PI*$P)':eval=frame,\
format=yuv420p,setsar=1[moving];\
[0:v]format=yuv420p,setsar=1[lead];\
[lead][moving]concat=n=2:v=1:a=0[v]" \
  -map '[v]' -map 3:a -t "$(seconds $((LEAD + MOVING)))" -r $FPS \
  -c:v libx264 -preset veryslow -crf 30 -tune stillimage -threads 1 -g 50 -pix_fmt yuv420p \
  -c:a aac -b:a 24k -ac 1 \
  -movflags +faststart -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  "$OUT/face-pan.mp4"

ls -l "$OUT"
