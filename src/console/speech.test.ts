// The robot's voice with the real espeak-ng: a phrase becomes a mono WAV with real sizes in its
// header (sox reads it), is rendered once per (language, text), and is served only by its key.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHRASES } from '../interaction/phrases.js';
import { MAX_SPEECH_PARTS, Speech, SpeechError, fixWavSizes, speechParts } from './speech.js';

function requireTool(name: string, hint: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'pipe' });
  } catch {
    throw new Error(`${name} is missing: apt-get install --no-install-recommends ${hint}`);
  }
}

interface WavInfo {
  channels: number;
  sampleRate: number;
  bitsPerSample: number;
  dataBytes: number;
}

/** The fmt and data chunks of a WAV, read from its header. */
function wavInfo(wav: Buffer): WavInfo {
  expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
  expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
  expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  let offset = 12;
  const info: Partial<WavInfo> = {};
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'fmt ') {
      info.channels = wav.readUInt16LE(offset + 10);
      info.sampleRate = wav.readUInt32LE(offset + 12);
      info.bitsPerSample = wav.readUInt16LE(offset + 22);
    } else if (id === 'data') {
      info.dataBytes = size;
      expect(offset + 8 + size).toBe(wav.length);
      break;
    }
    offset += 8 + size;
  }
  return info as WavInfo;
}

describe('speech (real espeak-ng)', () => {
  beforeAll(() => {
    requireTool('espeak-ng', 'espeak-ng');
    requireTool('sox', 'sox');
  });

  it.each(['fi', 'sv', 'en'] as const)(
    'renders a %s phrase to a non-empty mono WAV that sox reads',
    async (lang) => {
      const speech = new Speech();
      const text = PHRASES.greet[lang];
      const url = speech.url(lang, text);
      expect(url).toMatch(/^\/speech\/[0-9a-f]{32}\.wav$/);
      const wav = await speech.wav(url!.slice('/speech/'.length, -'.wav'.length));
      const info = wavInfo(wav!);
      expect(info.channels).toBe(1);
      expect(info.bitsPerSample).toBe(16);
      expect(info.dataBytes).toBeGreaterThan(info.sampleRate); // a sentence lasts well over half a second
      const dir = mkdtempSync(join(tmpdir(), 'speech-'));
      try {
        writeFileSync(join(dir, 'a.wav'), wav!);
        const seconds = Number(execFileSync('soxi', ['-D', join(dir, 'a.wav')], { encoding: 'utf8' }));
        expect(seconds).toBeCloseTo(info.dataBytes / 2 / info.sampleRate, 2);
        expect(execFileSync('soxi', ['-c', join(dir, 'a.wav')], { encoding: 'utf8' }).trim()).toBe('1');
      } finally {
        rmSync(dir, { recursive: true });
      }
    },
  );

  it('renders each (language, text) once; the same words in another language are another phrase', async () => {
    const speech = new Speech();
    const a = speech.url('sv', 'Hej')!;
    const b = speech.url('sv', 'Hej')!;
    const c = speech.url('fi', 'Hej')!;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    const key = (url: string) => url.slice(8, -4);
    const [wavA, wavB] = await Promise.all([speech.wav(key(a)), speech.wav(key(b))]);
    expect(wavA).toBe(wavB);
    await speech.wav(key(c));
    expect(speech.renders).toBe(2);
  });

  it('keeps at most maxEntries phrases, dropping the least recently used', async () => {
    const speech = new Speech({ maxEntries: 2 });
    const one = speech.url('en', 'one')!.slice(8, -4);
    const two = speech.url('en', 'two')!.slice(8, -4);
    await speech.wav(one); // one is now the most recently used
    speech.url('en', 'three');
    expect(speech.size).toBe(2);
    expect(await speech.wav(two)).toBeUndefined();
    expect(await speech.wav(one)).toBeInstanceOf(Buffer);
  });

  it('runs at most maxConcurrent espeak-ng processes at once', async () => {
    const speech = new Speech({ maxConcurrent: 1 });
    const keys = ['ett', 'två', 'tre', 'fyra'].map((t) => speech.url('sv', t)!.slice(8, -4));
    const wavs = await Promise.all(keys.map((k) => speech.wav(k)));
    expect(wavs.every((w) => w !== undefined && w.length > 44)).toBe(true);
    expect(speech.peakRunning).toBe(1);
    expect(speech.renders).toBe(4);
  });

  it('renders nothing until the phrase is asked for', async () => {
    const speech = new Speech();
    const url = speech.url('en', 'Hello there')!;
    expect(speech.renders).toBe(0);
    await speech.wav(url.slice(8, -4));
    expect(speech.renders).toBe(1);
  });

  it('does not speak empty or over-long text, or a language it has no voice for', () => {
    const speech = new Speech({ maxTextLength: 20 });
    expect(speech.url('de', 'Hallo')).toBeUndefined();
    expect(speech.url('en', '   ')).toBeUndefined();
    expect(speech.url('en', 'x'.repeat(21))).toBeUndefined();
    expect(speech.url('en', 'x'.repeat(20))).toBeDefined();
  });

  it('says what to install when espeak-ng is missing', async () => {
    const speech = new Speech({ espeakPath: '/nonexistent/espeak-ng' });
    const key = speech.url('en', 'hello')!.slice(8, -4);
    await expect(speech.wav(key)).rejects.toThrow(/apt-get install --no-install-recommends espeak-ng/);
  });

  it('kills a render that outlives its timeout (a stand-in voice that hangs: a named fake)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'speech-'));
    const hangingVoice = join(dir, 'hanging-espeak');
    writeFileSync(hangingVoice, '#!/bin/sh\nexec sleep 60\n');
    chmodSync(hangingVoice, 0o755);
    try {
      const speech = new Speech({ espeakPath: hangingVoice, timeoutMs: 200 });
      const key = speech.url('en', 'hello')!.slice(8, -4);
      const error = await speech.wav(key).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpeechError);
      expect((error as SpeechError).code).toBe('SPEECH_TIMEOUT');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('refuses output that is not a WAV, saying so', () => {
    expect(() => fixWavSizes(Buffer.from('not a wav at all'))).toThrow(/not a WAV/);
    const noData = Buffer.alloc(12);
    noData.write('RIFF', 0, 'ascii');
    noData.write('WAVE', 8, 'ascii');
    expect(() => fixWavSizes(noData)).toThrow(/no data chunk/);
  });
});

describe('GET /speech/:key.wav', () => {
  const speech = new Speech();
  const app = Fastify();
  beforeAll(async () => {
    await app.register(speech.service().plugin);
    await app.ready();
  });
  afterAll(() => app.close());

  it('serves a phrase url() gave out as audio/wav, not stored by the browser', async () => {
    const url = speech.url('fi', PHRASES['escort.slow'].fi)!;
    const reply = await app.inject({ method: 'GET', url });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers['content-type']).toBe('audio/wav');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(wavInfo(reply.rawPayload).channels).toBe(1);
  });

  it('answers 404 for a key it never gave out, and 400 for a malformed one', async () => {
    const unknown = await app.inject({ method: 'GET', url: `/speech/${'0'.repeat(32)}.wav` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'SPEECH_UNKNOWN' });
    const malformed = await app.inject({ method: 'GET', url: '/speech/..%2F..%2Fetc%2Fpasswd.wav' });
    expect(malformed.statusCode).toBe(400);
  });
});

describe('speechParts: a long phrase spoken in parts', () => {
  const sentence = (i: number) => `Walk straight on for about ${i} metres and turn right at the screen.`;

  it('packs whole sentences into parts of at most 400 characters, in order, losing no word', () => {
    const text = Array.from({ length: 15 }, (_, i) => sentence(i + 1)).join(' ');
    const parts = speechParts(text);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(400);
      expect(part).toMatch(/^Walk .*screen\.$/);
    }
    expect(parts.join(' ')).toBe(text);
    expect(speechParts('Kela is here.')).toEqual(['Kela is here.']);
    expect(speechParts('  ')).toEqual([]);
  });

  it('cuts a sentence longer than a part between words, and speaks at most six parts', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const parts = speechParts(long);
    expect(parts.every((p) => p.length <= 400 && !p.startsWith(' ') && !p.endsWith(' '))).toBe(true);
    expect(parts.join(' ')).toBe(long);
    expect(speechParts(`${long} ${long} ${long} ${long}`)).toHaveLength(MAX_SPEECH_PARTS);
  });
});
