/**
 * Issue 10: the bytes a device sends are hostile input too. Generated streams — random bytes,
 * and real packets with corruption and noise between them — go through the drive base's and the
 * RPLIDAR's stream decoders in-process, in arbitrary chunks, drained after each chunk as the
 * drivers do. Each decoder must never throw, account for every byte (in a packet it accepted,
 * or counted as rejected or noise), hand out at most about one item per byte pushed, and name
 * each rejection by a byte offset inside the stream; a long stream of noise must not grow memory.
 * Each case's wall time is bounded (generously: a bound, not an expectation of speed), and the
 * whole file's peak memory may grow by less than 200 MB.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FrameDecoder, encodeFrame, type Decoded as BaseDecoded } from '../../src/hardware/index.js';
import {
  RplidarDecoder,
  encodeDescriptor,
  encodeResponse,
  type Decoded as LidarDecoded,
} from '../../src/hardware/rplidar/index.js';

const CASE_BOUND_MS = 5_000;
const RUNS = 2_000;
const rssStartKb = process.resourceUsage().maxRSS;
/** The peak can have been set before this file ran (a reused worker): the resident size now is shown too. */
const residentStartMb = process.memoryUsage().rss / 1_048_576;

interface Tally {
  cases: number;
  bytes: number;
  /** Bytes counted as rejected or noise. */
  refused: number;
  /** The slowest generated case, ms. */
  worstMs: number;
  /** The long stream of noise, ms. */
  noiseMs: number;
}
const tallies = { base: newTally(), lidar: newTally() };

function newTally(): Tally {
  return { cases: 0, bytes: 0, refused: 0, worstMs: 0, noiseMs: 0 };
}

afterAll(() => {
  const growthMb = (process.resourceUsage().maxRSS - rssStartKb) / 1024;
  const residentMb = process.memoryUsage().rss / 1_048_576 - residentStartMb;
  const line = (name: string, t: Tally) =>
    `${name}: ${t.cases} generated cases + 32 MB of noise, ${t.bytes} bytes of which ${t.refused} refused, ` +
    `worst case ${t.worstMs.toFixed(1)} ms, the noise ${t.noiseMs.toFixed(0)} ms`;
  console.info(
    `device stream fuzzing — ${line('drive base', tallies.base)}; ${line('RPLIDAR', tallies.lidar)}; peak RSS growth ${growthMb.toFixed(1)} MB, resident growth ${residentMb.toFixed(1)} MB`,
  );
  expect(growthMb).toBeLessThan(200);
});

/** A decoder as the fuzzer drives it. */
interface Subject<D> {
  push(bytes: Uint8Array): void;
  next(): D | undefined;
  flush(): void;
  /** Bytes the stream decoder has taken in. */
  bytes(): number;
  /** Bytes accounted for as rejected or noise. */
  refused(): number;
  /** Bytes of an item it accepted (0 for a rejection), and the offset a rejection names. */
  weigh(item: D): { accepted: number; rejectedAt?: number };
}

function driveBase(): Subject<BaseDecoded> {
  const d = new FrameDecoder();
  return {
    push: (b) => d.push(b),
    next: () => d.next(),
    flush: () => d.flush(),
    bytes: () => d.stats().bytes,
    refused: () => d.stats().rejectedBytes + d.stats().noiseBytes,
    weigh: (item) =>
      item.kind === 'frame'
        ? { accepted: encodeFrame(item.frame).length }
        : item.kind === 'firmata'
          ? { accepted: item.bytes.length }
          : { accepted: 0, rejectedAt: item.error.offset },
  };
}

function rplidar(): Subject<LidarDecoded> {
  const d = new RplidarDecoder();
  return {
    push: (b) => d.push(b),
    next: () => d.next(),
    flush: () => d.flush('end of stream'),
    bytes: () => d.stats().bytes,
    refused: () => d.stats().rejectedBytes,
    weigh: (item) =>
      item.kind === 'descriptor'
        ? { accepted: encodeDescriptor(item.answer).length }
        : item.kind === 'response'
          ? { accepted: encodeResponse(item.response).length }
          : { accepted: 0, rejectedAt: item.rejection.offset },
  };
}

/** Feeds `stream` in chunks of the given sizes (cycled), draining after each; checks the invariants. */
function feed<D>(subject: Subject<D>, stream: Uint8Array, chunks: readonly number[], tally: Tally): void {
  const started = performance.now();
  let accepted = 0;
  const take = (pushed: number) => {
    let items = 0;
    for (let item = subject.next(); item !== undefined; item = subject.next()) {
      items++;
      const { accepted: n, rejectedAt } = subject.weigh(item);
      accepted += n;
      if (rejectedAt !== undefined) {
        expect(rejectedAt).toBeGreaterThanOrEqual(0);
        expect(rejectedAt).toBeLessThan(stream.length);
      }
    }
    // The output waiting between two reads is bounded by what was pushed in between.
    expect(items).toBeLessThanOrEqual(pushed + 2);
  };
  for (let at = 0, i = 0; at < stream.length; i++) {
    const size = chunks[i % chunks.length]!;
    subject.push(stream.subarray(at, at + size));
    take(Math.min(size, stream.length - at));
    at += size;
  }
  subject.flush();
  take(0);
  expect(subject.bytes()).toBe(stream.length);
  expect(accepted + subject.refused()).toBe(stream.length);
  const ms = performance.now() - started;
  expect(ms).toBeLessThan(CASE_BOUND_MS);
  tally.cases++;
  tally.bytes += stream.length;
  tally.refused += subject.refused();
  tally.worstMs = Math.max(tally.worstMs, ms);
}

const chunking = fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 12 });
const randomBytes = fc.uint8Array({ maxLength: 16_384 });

/** Flips, drops or cuts a packet: what a noisy cable does to it. */
function damaged(packet: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(packet, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('keep', 'flip', 'cut', 'drop'))
    .map(([p, at, value, how]) => {
      if (how === 'keep' || p.length === 0) return p;
      const i = at % p.length;
      if (how === 'cut') return p.subarray(0, i);
      if (how === 'drop') return Uint8Array.from([...p.subarray(0, i), ...p.subarray(i + 1)]);
      const q = Uint8Array.from(p);
      q[i] = value;
      return q;
    });
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const i16 = fc.integer({ min: -0x8000, max: 0x7fff });
const baseFrame = fc.oneof(
  fc
    .tuple(u16, i16, i16)
    .map(([seq, linearMmS, angularMradS]) =>
      encodeFrame({ kind: 'set_velocity', seq, linearMmS, angularMradS }),
    ),
  fc.tuple(u16, i16).map(([lastSeq, speed]) =>
    encodeFrame({
      kind: 'telemetry',
      lastSeq,
      leftTicks: speed * 3,
      rightTicks: -speed,
      leftSpeedMmS: speed,
      rightSpeedMmS: speed,
      batteryMv: 12_000,
      inputs: 0,
      state: 1,
      fault: 0,
      rejectedFrames: 0,
      uptimeMs: lastSeq * 1000,
    }),
  ),
  fc.constant(Uint8Array.from([0xf9, 0x02, 0x05])), // Firmata REPORT_VERSION
  fc.constant(Uint8Array.from([0xf0, 0x79, 0x02, 0x05, 0x6d, 0x00, 0xf7])), // REPORT_FIRMWARE "m"
);
const baseStream = fc
  .array(fc.oneof(damaged(baseFrame), fc.uint8Array({ maxLength: 24 })), { maxLength: 200 })
  .map(concat);

const lidarPacket = fc.oneof(
  fc.constant(encodeDescriptor('scan_node')),
  fc.constant(encodeDescriptor('health')),
  fc.constant(encodeDescriptor('info')),
  fc
    .tuple(fc.integer({ min: 0, max: 23039 }), u16, fc.boolean())
    .map(([angleQ6, distanceQ2, start]) =>
      encodeResponse({ kind: 'scan_node', start, quality: 15, angleQ6, distanceQ2 }),
    ),
  fc.constant(encodeResponse({ kind: 'health', status: 'good', errorCode: 0 })),
);
const lidarStream = fc
  .array(fc.oneof(damaged(lidarPacket), fc.uint8Array({ maxLength: 24 })), { maxLength: 300 })
  .map(concat);

describe('the drive base stream decoder, fed hostile bytes', () => {
  it('never throws and accounts for every byte of random streams', () => {
    fc.assert(
      fc.property(randomBytes, chunking, (s, c) => feed(driveBase(), s, c, tallies.base)),
      { numRuns: RUNS },
    );
  });

  it('never throws and accounts for every byte of damaged frames with noise between them', () => {
    fc.assert(
      fc.property(baseStream, chunking, (s, c) => feed(driveBase(), s, c, tallies.base)),
      { numRuns: RUNS },
    );
  });
});

describe('the RPLIDAR stream decoder, fed hostile bytes', () => {
  it('never throws and accounts for every byte of random streams', () => {
    fc.assert(
      fc.property(randomBytes, chunking, (s, c) => feed(rplidar(), s, c, tallies.lidar)),
      { numRuns: RUNS },
    );
  });

  it('never throws and accounts for every byte of damaged packets with noise between them', () => {
    fc.assert(
      fc.property(lidarStream, chunking, (s, c) => feed(rplidar(), s, c, tallies.lidar)),
      { numRuns: RUNS },
    );
  });
});

describe('a device that sends noise for a long time', () => {
  /** 32 MB of seeded noise in 64 KB reads, into one decoder: its memory stays flat. */
  const NOISE_BYTES = 32 * 1024 * 1024;
  const READ = 64 * 1024;

  function noise(seed: number): Uint8Array {
    const out = new Uint8Array(READ);
    let x = seed >>> 0 || 1;
    for (let i = 0; i < out.length; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    return out;
  }

  const subjects: Array<[string, () => Subject<BaseDecoded> | Subject<LidarDecoded>, Tally]> = [
    ['drive base', driveBase, tallies.base],
    ['RPLIDAR', rplidar, tallies.lidar],
  ];
  for (const [name, make, tally] of subjects) {
    it(`the ${name} decoder takes 32 MB of noise and counts all of it`, () => {
      const subject = make() as Subject<unknown>;
      const started = performance.now();
      let accepted = 0;
      for (let read = 0; read < NOISE_BYTES / READ; read++) {
        subject.push(noise(read + 1));
        for (let item = subject.next(); item !== undefined; item = subject.next()) {
          accepted += subject.weigh(item).accepted;
        }
      }
      subject.flush();
      for (let item = subject.next(); item !== undefined; item = subject.next()) {
        accepted += subject.weigh(item).accepted;
      }
      expect(subject.bytes()).toBe(NOISE_BYTES);
      expect(accepted + subject.refused()).toBe(NOISE_BYTES);
      const ms = performance.now() - started;
      expect(ms).toBeLessThan(120_000);
      tally.bytes += NOISE_BYTES;
      tally.refused += subject.refused();
      tally.noiseMs = ms;
    });
  }
});
