import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PixelBox } from './camera-model.js';

/**
 * The photographs and the clip the tests and benchmarks run on, committed in test/fixtures/:
 * public-domain and CC0 material, each file's source, licence and changes in CREDITS.md there;
 * scripts/make-test-fixtures.sh rebuilds them from the sources.
 */
export const FIXTURES = [
  'astronaut.jpg',
  'small-face.jpg',
  'rocket.jpg',
  'coffee.png',
  'brick.png',
  'palette.png',
  'face-pan.mp4',
] as const;
export type Fixture = (typeof FIXTURES)[number];

const DIR = new URL('../../test/fixtures/', import.meta.url);

/** Where the fixture is in this checkout. */
export function fixturePath(name: Fixture): string {
  return fileURLToPath(new URL(name, DIR));
}

export function fixtureBytes(name: Fixture): Buffer {
  return readFileSync(fixturePath(name));
}

/** astronaut.jpg (512 × 512): her face, hand-marked brows to chin, cheek to cheek, in pixels. */
export const ASTRONAUT_FACE: PixelBox = { x: 175, y: 80, width: 95, height: 100 };

/**
 * small-face.jpg (640 × 427): the same face, pasted small onto rocket.jpg. The script pastes the
 * astronaut's head and shoulders (cut at x 100, y 20) scaled by 0.45 at (380, 150).
 */
export const SMALL_FACE: PixelBox = {
  x: 380 + (ASTRONAUT_FACE.x - 100) * 0.45,
  y: 150 + (ASTRONAUT_FACE.y - 20) * 0.45,
  width: ASTRONAUT_FACE.width * 0.45,
  height: ASTRONAUT_FACE.height * 0.45,
};

/**
 * face-pan.mp4, as the script makes it: two black frames, then the astronaut's head and shoulders
 * gliding left to right across a brick wall while growing (face about 100 → 140 px wide); one face
 * in every frame after the black ones. It has a sound track (a tone), as camera recordings do.
 */
export const FACE_PAN = {
  width: 640,
  height: 480,
  frames: 120,
  fps: 25,
  /** ns between frames at 25 frames/s. */
  frameNs: 40_000_000n,
  blackFrames: 2,
} as const;
