/**
 * The robot's voice: a phrase rendered to WAV by espeak-ng (Debian; fi, sv and en voices), kept in
 * memory and served to the kiosk as /speech/<key>.wav.
 *
 * Privacy: a phrase may echo a customer's words (a desk name they typed, say), so nothing is
 * written to disk — espeak-ng writes to a pipe, the cache is a bounded in-memory LRU, and the
 * reply tells the browser not to store it. The key is a hash of (language, text): a URL reveals
 * nothing and cannot be guessed without the text.
 *
 * Bounds: text length, renders at once (more wait in a bounded queue), output bytes, and a
 * per-render timeout (spawn's own `timeout`, which kills the process on the system clock: a
 * render is an external program, not control code, and must not outlive a stuck voice).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Language } from './protocol.js';

export interface SpeechOptions {
  /** The espeak-ng binary (default: found on PATH). */
  espeakPath?: string;
  /** Phrases kept (rendered or rendering); the least recently used goes first. */
  maxEntries?: number;
  /** Longer text is not spoken (url() returns undefined). */
  maxTextLength?: number;
  /** espeak-ng processes running at once. */
  maxConcurrent?: number;
  /** Renders waiting for a slot; beyond this a render fails at once. */
  maxQueued?: number;
  /** A render that takes longer is killed and fails. */
  timeoutMs?: number;
  /** Output larger than this is cut off and the render fails (a 400-character phrase is ~1 MB). */
  maxWavBytes?: number;
  /** Words per minute. */
  wordsPerMinute?: number;
}

const DEFAULTS: Required<SpeechOptions> = {
  espeakPath: 'espeak-ng',
  maxEntries: 200,
  maxTextLength: 400,
  maxConcurrent: 2,
  maxQueued: 32,
  timeoutMs: 10_000,
  maxWavBytes: 4 * 1024 * 1024,
  wordsPerMinute: 150,
};

/** A phrase is spoken in parts of at most this many characters (url()'s default limit). */
export const SPEECH_PART_CHARS = 400;
/** Most parts one phrase is spoken in; the rest of a longer text is shown only. */
export const MAX_SPEECH_PARTS = 6;

/**
 * A long phrase (directions in words run to several hundred characters) cut into parts to speak
 * one after another: whole sentences packed up to `max` characters, a sentence longer than that
 * cut between words. Each part is rendered and cached on its own, so a long text never makes one
 * huge WAV; at most `maxParts` parts.
 */
export function speechParts(text: string, max = SPEECH_PART_CHARS, maxParts = MAX_SPEECH_PARTS): string[] {
  const pieces = text
    .trim()
    .split(/(?<=[.!?;:])\s+/u)
    .flatMap((sentence) => cutBetweenWords(sentence, max));
  const parts: string[] = [];
  for (const piece of pieces) {
    const last = parts.at(-1);
    if (last !== undefined && last.length + 1 + piece.length <= max)
      parts[parts.length - 1] = `${last} ${piece}`;
    else if (piece !== '') parts.push(piece);
  }
  return parts.slice(0, maxParts);
}

function cutBetweenWords(sentence: string, max: number): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const at = space > 0 ? space : max;
    out.push(rest.slice(0, at));
    rest = rest.slice(at).trimStart();
  }
  out.push(rest);
  return out;
}

/** espeak-ng voice per language (Debian's espeak-ng-data names). */
const VOICES: Record<Language, string> = { fi: 'fi', sv: 'sv', en: 'en' };

export class SpeechError extends Error {
  constructor(
    readonly code:
      'SPEECH_ESPEAK_MISSING' | 'SPEECH_FAILED' | 'SPEECH_TIMEOUT' | 'SPEECH_BUSY' | 'SPEECH_WAV',
    message: string,
  ) {
    super(message);
    this.name = 'SpeechError';
  }
}

interface Entry {
  language: Language;
  text: string;
  /** Started on first need, then shared by everyone who asks. */
  wav?: Promise<Buffer>;
}

export const SPEECH_KEY_PATTERN = '^[0-9a-f]{32}$';

export class Speech {
  private readonly options: Required<SpeechOptions>;
  /** Insertion order is recency order: a hit is moved to the end. */
  private readonly entries = new Map<string, Entry>();
  private running = 0;
  private readonly queue: Array<() => void> = [];
  /** Most espeak-ng processes seen at once (for tests and the bench). */
  peakRunning = 0;
  renders = 0;

  constructor(options: SpeechOptions = {}) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** The key of a phrase: a hash of its language and text. */
  static key(language: Language, text: string): string {
    return createHash('sha256').update(`${language}\0${text}`).digest('hex').slice(0, 32);
  }

  /**
   * The URL the phrase will be served at; undefined when the text is empty, too long, or the
   * language has no voice (the words are still shown, just not spoken). Rendering waits until a
   * page asks for the URL: an operator's console shows words it never plays.
   */
  url(language: string, text: string): string | undefined {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.length > this.options.maxTextLength || !Object.hasOwn(VOICES, language)) {
      return undefined;
    }
    const key = Speech.key(language as Language, trimmed);
    if (this.touch(key) === undefined) this.remember(key, { language: language as Language, text: trimmed });
    return `/speech/${key}.wav`;
  }

  /** The server's view of the voice: URLs for say messages and the route that serves them. */
  service(): { plugin: FastifyPluginAsync; url(language: string, text: string): string | undefined } {
    return { plugin: speechRoutes(this), url: (language, text) => this.url(language, text) };
  }

  /** The WAV for a key url() gave out; undefined when unknown (never given, or evicted). */
  async wav(key: string): Promise<Buffer | undefined> {
    const entry = this.touch(key);
    if (entry === undefined) return undefined;
    entry.wav ??= this.render(entry.language, entry.text);
    return entry.wav;
  }

  get size(): number {
    return this.entries.size;
  }

  private touch(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  private remember(key: string, entry: Entry): Entry {
    this.entries.set(key, entry);
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return entry;
  }

  private async render(language: Language, text: string): Promise<Buffer> {
    await this.slot();
    this.peakRunning = Math.max(this.peakRunning, this.running);
    try {
      this.renders++;
      return fixWavSizes(await this.espeak(VOICES[language], text));
    } finally {
      const next = this.queue.shift();
      // A waiting render takes this slot over (the count stays); else the slot is freed.
      if (next !== undefined) next();
      else this.running--;
    }
  }

  /** Takes a slot, counted at once so that renders started together cannot all pass. */
  private slot(): Promise<void> {
    if (this.running < this.options.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    if (this.queue.length >= this.options.maxQueued) {
      return Promise.reject(
        new SpeechError('SPEECH_BUSY', `speech: ${this.queue.length} phrases already wait for espeak-ng`),
      );
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  /** espeak-ng with arguments (never a shell); the text goes in on stdin, the WAV comes out on stdout. */
  private espeak(voice: string, text: string): Promise<Buffer> {
    const { espeakPath, timeoutMs, maxWavBytes, wordsPerMinute } = this.options;
    return new Promise((resolve, reject) => {
      const child = spawn(espeakPath, ['-v', voice, '-s', String(wordsPerMinute), '-b', '1', '--stdout'], {
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
      });
      const chunks: Buffer[] = [];
      let bytes = 0;
      let stderr = '';
      let tooLarge = false;
      child.stdout.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > maxWavBytes) {
          tooLarge = true;
          child.kill('SIGKILL');
        } else chunks.push(chunk);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 2000) stderr += chunk.toString('utf8');
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'ENOENT'
            ? new SpeechError(
                'SPEECH_ESPEAK_MISSING',
                `speech: ${espeakPath} not found; install it: apt-get install --no-install-recommends espeak-ng`,
              )
            : new SpeechError('SPEECH_FAILED', `speech: cannot start ${espeakPath}: ${error.message}`),
        );
      });
      child.on('close', (code, signal) => {
        if (tooLarge) {
          reject(new SpeechError('SPEECH_WAV', `speech: espeak-ng output exceeds ${maxWavBytes} bytes`));
        } else if (signal !== null) {
          reject(
            new SpeechError('SPEECH_TIMEOUT', `speech: espeak-ng took over ${timeoutMs} ms (${signal})`),
          );
        } else if (code !== 0) {
          reject(new SpeechError('SPEECH_FAILED', `speech: espeak-ng exited ${code}: ${stderr.trim()}`));
        } else resolve(Buffer.concat(chunks));
      });
      child.stdin.on('error', () => undefined); // a process that died early: reported by 'close'
      child.stdin.end(text, 'utf8');
    });
  }
}

/**
 * espeak-ng streams its WAV to a pipe, so the RIFF and data sizes in its header are placeholders
 * (0x7ffff024…); browsers want the real ones. Walks the chunks and writes them in.
 */
export function fixWavSizes(wav: Buffer): Buffer {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new SpeechError(
      'SPEECH_WAV',
      `speech: espeak-ng output is not a WAV (byte 0: ${wav.length} bytes)`,
    );
  }
  wav.writeUInt32LE(wav.length - 8, 4);
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    if (id === 'data') {
      wav.writeUInt32LE(wav.length - offset - 8, offset + 4);
      return wav;
    }
    offset += 8 + wav.readUInt32LE(offset + 4);
  }
  throw new SpeechError('SPEECH_WAV', `speech: no data chunk in espeak-ng's WAV (byte ${offset})`);
}

/** GET /speech/:key.wav — the phrases url() handed out; 404 for any other key. */
export function speechRoutes(speech: Speech): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Params: { key: string } }>(
      '/speech/:key.wav',
      {
        schema: {
          params: Type.Object({ key: Type.String({ pattern: SPEECH_KEY_PATTERN }) }),
        },
      },
      async (request, reply) => {
        const wav = await speech.wav(request.params.key).catch((error: unknown) => {
          request.log.warn({ code: (error as SpeechError).code }, 'speech render failed');
          return null;
        });
        if (wav === undefined) {
          return reply
            .code(404)
            .send({ error: 'SPEECH_UNKNOWN', message: 'no such phrase', where: request.url.slice(0, 80) });
        }
        if (wav === null) {
          return reply
            .code(503)
            .send({ error: 'SPEECH_FAILED', message: 'the phrase could not be spoken', where: 'espeak-ng' });
        }
        // no-store: the browser keeps no copy on disk either (the words may echo a customer's).
        return reply.header('cache-control', 'no-store').type('audio/wav').send(wav);
      },
    );
  };
}
