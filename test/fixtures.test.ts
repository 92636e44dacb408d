/**
 * The committed test material (test/fixtures/): each file credited, the folder small, and the
 * clip what the tests take it to be.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FACE_PAN, FIXTURES, fixturePath } from '../src/perception/test-images.js';

const DIR = 'test/fixtures';
/** Text fixtures written for this project (no outside source to credit; CREDITS.md says so). */
const OWN_TEXT = ['requests.tsv'];

describe('test/fixtures', () => {
  it('holds the listed fixtures, our own text fixtures and CREDITS.md, nothing else', () => {
    expect(readdirSync(DIR).sort()).toEqual([...FIXTURES, ...OWN_TEXT, 'CREDITS.md'].sort());
    const credits = readFileSync(`${DIR}/CREDITS.md`, 'utf8');
    for (const name of OWN_TEXT) expect(credits, name).toContain(`\`${name}\``);
  });

  it('credits every fixture with its source, licence and changes', () => {
    const credits = readFileSync(`${DIR}/CREDITS.md`, 'utf8');
    for (const name of FIXTURES) {
      const section = credits.split(/^## /m).find((s) => s.startsWith(`\`${name}\``));
      expect(section, name).toBeDefined();
      expect(section, name).toMatch(/^- Source: /m);
      expect(section, name).toMatch(/^- Licence: (public domain|CC0 1\.0)/m);
      expect(section, name).toMatch(/^- Changes: /m);
    }
  });

  it('stays within its budget: under 3 MB together', () => {
    const total = FIXTURES.reduce((sum, name) => sum + statSync(fixturePath(name)).size, 0);
    expect(total).toBeLessThan(3_000_000);
  });

  it('face-pan.mp4: 640×480 video at 25 frames/s, 120 frames, with a sound track', async () => {
    const { stdout } = await promisify(execFile)('ffprobe', [
      '-v',
      'error',
      '-count_frames',
      '-show_entries',
      'stream=codec_type,width,height,r_frame_rate,nb_read_frames',
      '-of',
      'json',
      fixturePath('face-pan.mp4'),
    ]);
    const streams = (JSON.parse(stdout) as { streams: Record<string, string | number>[] }).streams;
    expect(streams.find((s) => s.codec_type === 'video')).toEqual({
      codec_type: 'video',
      width: FACE_PAN.width,
      height: FACE_PAN.height,
      r_frame_rate: `${FACE_PAN.fps}/1`,
      nb_read_frames: String(FACE_PAN.frames),
    });
    expect(BigInt(1e9 / FACE_PAN.fps)).toBe(FACE_PAN.frameNs);
    expect(streams.map((s) => s.codec_type)).toContain('audio');
  });
});
