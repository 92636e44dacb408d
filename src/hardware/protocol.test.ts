import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACK_STATUSES,
  COMMAND_ACK_STATUSES,
  seqNewer,
  CONFIG_RANGES,
  FrameDecoder,
  HardwareError,
  LED_PATTERNS,
  ProtocolError,
  crc16,
  decodeFrame,
  encodeFrame,
  encodeRawPayload,
  frameLength,
  kindOfCommand,
  pack7,
  packedLength,
  telemetryFlags,
  unpack7,
  type Decoded,
  type DriveConfig,
  type Frame,
  type FrameKind,
} from './index.js';

// ---- the shared vectors ----------------------------------------------------------------------

interface Vector {
  name: string;
  command: number;
  fields: Record<string, number>;
  raw: string;
  frame: string;
  note: string;
}
const vectorFile = JSON.parse(
  readFileSync(new URL('../../firmware-bridge/test-vectors.json', import.meta.url), 'utf8'),
) as { crc16_ccitt_false_check: { input_ascii: string; crc: number }; vectors: Vector[] };
const VECTORS = vectorFile.vectors;
const vectorText = readFileSync(new URL('../../firmware-bridge/test-vectors.txt', import.meta.url), 'utf8');

const bytes = (hexText: string): Uint8Array =>
  Uint8Array.from(Buffer.from(hexText.replace(/\s+/g, ''), 'hex'));
const toHex = (b: ArrayLike<number>): string => Buffer.from(Uint8Array.from(b)).toString('hex');

/** A vector's fields (PROTOCOL.md's wire names) as the typed frame they stand for. */
const FROM_VECTOR: { [K in FrameKind]: (f: Record<string, number>) => Frame } = {
  set_velocity: (f) => ({
    kind: 'set_velocity',
    seq: f.seq!,
    linearMmS: f.linear_mm_s!,
    angularMradS: f.angular_mrad_s!,
  }),
  velocity_ack: (f) => ({ kind: 'velocity_ack', seq: f.seq!, status: ACK_STATUSES[f.status!]! }),
  telemetry: (f) => ({
    kind: 'telemetry',
    lastSeq: f.last_seq!,
    leftTicks: f.left_ticks!,
    rightTicks: f.right_ticks!,
    leftSpeedMmS: f.left_speed_mm_s!,
    rightSpeedMmS: f.right_speed_mm_s!,
    batteryMv: f.battery_mv!,
    inputs: f.inputs!,
    state: f.state!,
    fault: f.fault!,
    rejectedFrames: f.rejected_frames!,
    uptimeMs: f.uptime_ms!,
  }),
  set_leds: (f) => ({
    kind: 'set_leds',
    pattern: LED_PATTERNS[f.pattern!]!,
    red: f.red!,
    green: f.green!,
    blue: f.blue!,
  }),
  set_config: (f) => ({ kind: 'set_config', config: configFromVector(f) }),
  config_report: (f) => ({ kind: 'config_report', config: configFromVector(f) }),
  clear_stop: (f) => {
    expect(f.magic).toBe(0xa5); // the magic is implied by the kind; the vector spells it out
    return { kind: 'clear_stop' };
  },
  query_config: () => ({ kind: 'query_config' }),
  command_ack: (f) => ({
    kind: 'command_ack',
    command: f.command === 0x04 ? 'set_leds' : 'clear_stop',
    status: COMMAND_ACK_STATUSES[f.status!]!,
  }),
};
function configFromVector(f: Record<string, number>): DriveConfig {
  return {
    wheelBaseMm: f.wheel_base_mm!,
    ticksPerM: f.ticks_per_m!,
    maxSpeedMmS: f.max_speed_mm_s!,
    maxAccelMmS2: f.max_accel_mm_s2!,
    maxAngularMradS: f.max_angular_mrad_s!,
  };
}
function vectorFrame(v: Vector): Frame {
  const kind = kindOfCommand(v.command);
  if (!kind) throw new Error(`vector ${v.name}: unknown command ${v.command}`);
  return FROM_VECTOR[kind](v.fields);
}

/** Everything a decoder produced for `input`, as plain data (errors by code, offset, message). */
function decodeAll(chunks: Iterable<ArrayLike<number>>, flush = false): unknown[] {
  const d = new FrameDecoder();
  const out: unknown[] = [];
  const drain = () => {
    for (let item = d.next(); item; item = d.next()) out.push(plain(item));
  };
  for (const c of chunks) {
    d.push(c);
    drain();
  }
  if (flush) d.flush();
  drain();
  return out;
}
function plain(item: Decoded): unknown {
  switch (item.kind) {
    case 'frame':
      return item;
    case 'firmata':
      return { kind: 'firmata', bytes: toHex(item.bytes), offset: item.offset };
    case 'rejected':
      return {
        kind: 'rejected',
        code: item.error.code,
        offset: item.error.offset,
        message: item.error.message,
      };
  }
}
const framesOf = (items: unknown[]) =>
  items.filter((i) => (i as Decoded).kind === 'frame') as Array<Extract<Decoded, { kind: 'frame' }>>;
const rejectedOf = (items: unknown[]) =>
  items.filter((i) => (i as Decoded).kind === 'rejected') as Array<{
    code: string;
    offset: number;
    message: string;
  }>;

const concat = (...parts: ArrayLike<number>[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

/** Builds a frame whose fields may be anything, with a correct CRC: for field-domain tests. */
function frameWithRawFields(command: number, fields: number[]): Uint8Array {
  const crc = crc16(fields, crc16([command]));
  const raw = [...fields, crc & 0xff, crc >> 8];
  const packed = new Uint8Array(packedLength(raw.length));
  pack7(raw, packed);
  return concat([0xf0, command], packed, [0xf7]);
}

// ---- generators ------------------------------------------------------------------------------

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const i16 = fc.integer({ min: -0x8000, max: 0x7fff });
const i32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const inRange = ([min, max]: readonly [number, number]) => fc.integer({ min, max });
const configArb: fc.Arbitrary<DriveConfig> = fc.record({
  wheelBaseMm: inRange(CONFIG_RANGES.wheelBaseMm),
  ticksPerM: inRange(CONFIG_RANGES.ticksPerM),
  maxSpeedMmS: inRange(CONFIG_RANGES.maxSpeedMmS),
  maxAccelMmS2: inRange(CONFIG_RANGES.maxAccelMmS2),
  maxAngularMradS: inRange(CONFIG_RANGES.maxAngularMradS),
});
const frameArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ kind: fc.constant('set_velocity' as const), seq: u16, linearMmS: i16, angularMradS: i16 }),
  fc.record({
    kind: fc.constant('velocity_ack' as const),
    seq: u16,
    status: fc.constantFrom(...ACK_STATUSES),
  }),
  fc.record({
    kind: fc.constant('telemetry' as const),
    lastSeq: u16,
    leftTicks: i32,
    rightTicks: i32,
    leftSpeedMmS: i16,
    rightSpeedMmS: i16,
    batteryMv: u16,
    inputs: u8,
    state: u8,
    fault: u8,
    rejectedFrames: u16,
    uptimeMs: u32,
  }),
  fc.record({
    kind: fc.constant('set_leds' as const),
    pattern: fc.constantFrom(...LED_PATTERNS),
    red: u8,
    green: u8,
    blue: u8,
  }),
  fc.record({ kind: fc.constant('set_config' as const), config: configArb }),
  fc.record({ kind: fc.constant('config_report' as const), config: configArb }),
  fc.constant<Frame>({ kind: 'clear_stop' }),
  fc.constant<Frame>({ kind: 'query_config' }),
);
/** Bytes biased towards what confuses a decoder: F0, F7, drive-base commands, other status bytes. */
const nastyByte = fc.oneof(
  { arbitrary: u8, weight: 6 },
  { arbitrary: fc.constantFrom(0xf0, 0xf7), weight: 2 },
  { arbitrary: fc.integer({ min: 0x01, max: 0x0f }), weight: 2 },
  { arbitrary: fc.constantFrom(0x90, 0xe0, 0xf9, 0xff, 0xc0, 0xf4), weight: 1 },
);
const junkArb = fc.array(nastyByte, { maxLength: 60 });

// ---- tests -----------------------------------------------------------------------------------

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the check value 0x29B1 for "123456789", as the vector file says', () => {
    const check = vectorFile.crc16_ccitt_false_check;
    expect(crc16(Buffer.from(check.input_ascii, 'ascii'))).toBe(0x29b1);
    expect(check.crc).toBe(0x29b1);
  });

  it('covers the command byte: PROTOCOL.md’s example CRC over 01 01 00 f4 01 00 00 is 0x6e83', () => {
    expect(crc16(bytes('01 0100 f401 0000'))).toBe(0x6e83);
  });
});

describe('7-bit packing', () => {
  // The real Encoder7Bit of firmata.js, the library johnny-five talks through.
  const encoder7bit = createRequire(import.meta.url)('firmata-io/lib/encoder7bit.js') as {
    to7BitArray(data: number[]): number[];
    from7BitArray(data: number[]): number[];
  };

  it('packs exactly as firmata.js’s Encoder7Bit, and unpacks back, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (raw) => {
        const packed = new Uint8Array(packedLength(raw.length));
        expect(pack7(raw, packed)).toBe(packed.length);
        expect(Array.from(packed)).toEqual(encoder7bit.to7BitArray(Array.from(raw)));
        const back = new Uint8Array(raw.length);
        expect(unpack7(packed, 0, packed.length, back)).toBe(0); // zero padding
        expect(back).toEqual(raw);
        expect(Array.from(back)).toEqual(encoder7bit.from7BitArray(Array.from(packed)));
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});

describe('test vectors (firmware-bridge/test-vectors.json)', () => {
  it('covers every frame kind', () => {
    expect(new Set(VECTORS.map((v) => kindOfCommand(v.command)))).toEqual(new Set(Object.keys(FROM_VECTOR)));
  });

  for (const v of VECTORS) {
    it(`${v.name}: fields → raw payload and frame bytes, and frame bytes → fields`, () => {
      const frame = vectorFrame(v);
      expect(toHex(encodeRawPayload(frame))).toBe(v.raw);
      expect(toHex(encodeFrame(frame))).toBe(v.frame);
      expect(decodeFrame(bytes(v.frame))).toEqual(frame);
      expect(frameLength(frame.kind)).toBe(v.frame.length / 2);
    });
  }

  it('sizes match PROTOCOL.md §3.2 (raw bytes incl. CRC / frame bytes)', () => {
    const table: Record<FrameKind, [number, number]> = {
      set_velocity: [8, 13],
      velocity_ack: [5, 9],
      telemetry: [27, 34],
      set_leds: [6, 10],
      set_config: [12, 17],
      config_report: [12, 17],
      clear_stop: [3, 7],
      query_config: [2, 6],
      command_ack: [4, 8],
    };
    for (const v of VECTORS) {
      const [raw, frame] = table[kindOfCommand(v.command)!];
      expect([v.raw.length / 2, v.frame.length / 2]).toEqual([raw, frame]);
    }
  });

  it('test-vectors.txt says the same as the JSON, line for line', () => {
    const lines = vectorText.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
    expect(lines.map((l) => l.trim().split(/\s+/))).toEqual(
      VECTORS.map((v) => [v.name, v.command.toString(16).padStart(2, '0'), v.raw, v.frame]),
    );
  });

  it('PROTOCOL.md’s worked example: SET_VELOCITY seq 1, 0.5 m/s straight', () => {
    const f: Frame = { kind: 'set_velocity', seq: 1, linearMmS: 500, angularMradS: 0 };
    expect(toHex(encodeRawPayload(f))).toBe('0100f4010000836e');
    expect(toHex(encodeFrame(f))).toBe('f0010100500f000040416e00f7');
  });

  it('names the telemetry bits: bumper latched, as in telemetry_bumper_latched', () => {
    const v = VECTORS.find((x) => x.name === 'telemetry_bumper_latched')!;
    const t = decodeFrame(bytes(v.frame));
    expect(t.kind === 'telemetry' && telemetryFlags(t)).toEqual({
      bumper: true,
      estop: false,
      stopLatched: true,
      cmdTimeout: false,
      driving: false,
      defaultConfig: false,
      turning: false,
      stopping: false,
      stopped: true,
      fault: 'bumper',
    });
  });

  it('names a controlled stop: braking after a timeout, as in telemetry_timeout_braking', () => {
    const v = VECTORS.find((x) => x.name === 'telemetry_timeout_braking')!;
    const t = decodeFrame(bytes(v.frame));
    expect(t.kind === 'telemetry' && telemetryFlags(t)).toMatchObject({
      cmdTimeout: true,
      driving: true,
      turning: true,
      stopping: true,
      stopped: false,
      fault: 'cmd_timeout',
    });
  });

  it('seqNewer is the board’s rule, as the shared sequence cases say', () => {
    const cases = (vectorFile as unknown as { behaviour: { sequence: Array<{ steps: unknown[] }> } })
      .behaviour.sequence;
    for (const c of cases) {
      let last: number | undefined;
      for (const step of c.steps) {
        if (step === 'reset') {
          last = undefined;
          continue;
        }
        const [seq, status] = step as [number, number];
        const accepted = last === undefined || seqNewer(seq, last);
        expect(accepted ? 0 : 3).toBe(status);
        if (accepted) last = seq;
      }
    }
  });
});

describe('encodeFrame refuses values that do not fit their field', () => {
  it('names the field and the range', () => {
    expect(() => encodeFrame({ kind: 'set_velocity', seq: 70000, linearMmS: 0, angularMradS: 0 })).toThrow(
      /set_velocity\.seq: expected an integer 0…65535, found 70000/,
    );
    expect(() => encodeFrame({ kind: 'set_velocity', seq: 1, linearMmS: 0.5, angularMradS: 0 })).toThrow(
      HardwareError,
    );
    expect(() =>
      encodeFrame({
        kind: 'set_config',
        config: {
          wheelBaseMm: 50,
          ticksPerM: 2000,
          maxSpeedMmS: 1000,
          maxAccelMmS2: 800,
          maxAngularMradS: 1500,
        },
      }),
    ).toThrow(/set_config\.wheel_base_mm: expected 100…1000, found 50/);
  });
});

describe('FrameDecoder', () => {
  const velocity = bytes(VECTORS.find((v) => v.name === 'set_velocity_forward')!.frame);
  const telemetry = bytes(VECTORS.find((v) => v.name === 'telemetry_driving')!.frame);

  it('rejects a frame with a bad checksum and reports the offset of its F0', () => {
    const bad = Uint8Array.from(velocity);
    bad[4] = bad[4]! ^ 0x01; // a bit of linear_mm_s
    const items = decodeAll([bytes('f9 02 05') /* REPORT_VERSION, 3 bytes */, bad]);
    expect(framesOf(items)).toEqual([]);
    const [r] = rejectedOf(items);
    expect(r).toMatchObject({ code: 'FRAME_CRC', offset: 3 });
    expect(r!.message).toMatch(
      /^byte 3: frame 0x01: bad checksum: expected CRC 0x[0-9a-f]{4}, found 0x6e83$/,
    );
  });

  it('tells drive-base frames from plain Firmata traffic, in stream order with offsets', () => {
    const firmware = bytes('f0 79 02 05 6d 00 65 00 f7'); // REPORT_FIRMWARE "me"
    const analog = bytes('e0 22 01'); // A0 = 162
    const digital = bytes('90 04 00'); // port 0, pin 2 high
    const items = decodeAll([concat(bytes('f9 02 05'), firmware, telemetry, analog, digital, bytes('ff'))]);
    expect(items.map((i) => [(i as Decoded).kind, (i as { offset: number }).offset])).toEqual([
      ['firmata', 0],
      ['firmata', 3],
      ['frame', 12],
      ['firmata', 12 + telemetry.length],
      ['firmata', 15 + telemetry.length],
      ['firmata', 18 + telemetry.length],
    ]);
    expect(items[1]).toMatchObject({ bytes: 'f07902056d006500f7' });
  });

  it('rejects a frame one byte short, with the lengths', () => {
    const short = concat(velocity.subarray(0, 11), [0xf7]);
    const [r] = rejectedOf(decodeAll([short]));
    expect(r).toMatchObject({ code: 'FRAME_LENGTH', offset: 0 });
    expect(r!.message).toMatch(/bad length: expected 10 data bytes, found 9/);
  });

  it('rejects non-zero padding even though the CRC (which does not cover it) matches', () => {
    const padded = Uint8Array.from(velocity);
    padded[11] = padded[11]! | 0x40; // 8 raw bytes = 64 bits in 10×7 = 70: the top 6 bits of the last byte are padding
    expect(rejectedOf(decodeAll([padded]))[0]).toMatchObject({ code: 'FRAME_PADDING' });
  });

  it('ends a frame cut by a status byte as truncated and decodes from that byte on', () => {
    const cut = velocity.subarray(0, 7);
    const items = decodeAll([cut, telemetry]);
    expect(rejectedOf(items)).toEqual([
      expect.objectContaining({
        code: 'FRAME_TRUNCATED',
        offset: 0,
        message: expect.stringMatching(/status byte 0xf0 at byte 7 after 5/),
      }),
    ]);
    expect(framesOf(items).map((f) => [f.frame.kind, f.offset])).toEqual([['telemetry', 7]]);
  });

  it('rejects an unknown command of the drive base’s Sysex range, and a field outside its domain', () => {
    const unknown = bytes('f0 0c 01 02 03 f7');
    const ackStatus5 = frameWithRawFields(0x02, [0x07, 0x00, 0x05]);
    const farConfig = frameWithRawFields(0x06, [0xa4, 0x01, 0, 0, 0xe8, 0x03, 0x20, 0x03, 0xdc, 0x05]); // ticks_per_m 0
    const wrongMagic = frameWithRawFields(0x07, [0xa4]);
    const items = decodeAll([unknown, ackStatus5, farConfig, wrongMagic]);
    expect(framesOf(items)).toEqual([]);
    expect(rejectedOf(items).map((r) => [r.code, r.offset])).toEqual([
      ['FRAME_UNKNOWN_COMMAND', 0],
      ['FRAME_FIELD', 6],
      ['FRAME_FIELD', 6 + ackStatus5.length],
      ['FRAME_FIELD', 6 + ackStatus5.length + farConfig.length],
    ]);
    expect(rejectedOf(items)[1]!.message).toMatch(
      /status 0…4 \(accepted, clamped, refused_latched, refused_stale, refused_battery_low\), found 5/,
    );
    expect(rejectedOf(items)[2]!.message).toMatch(/ticks_per_m 100…20000, found 0/);
  });

  it('counts rejections by reason', () => {
    const d = new FrameDecoder();
    d.push(concat(velocity.subarray(0, 5), velocity, bytes('f0 0d f7'), velocity));
    while (d.next());
    const s = d.stats();
    expect(s.frames).toBe(2);
    expect(s.rejected).toBe(2);
    expect(s.rejectedByCode).toMatchObject({ FRAME_TRUNCATED: 1, FRAME_UNKNOWN_COMMAND: 1, FRAME_CRC: 0 });
  });

  it('accounts for every byte: in a frame or a Firmata message, rejected with its frame, or noise', () => {
    const d = new FrameDecoder();
    // 5 bytes of a frame cut short by the next F0; an unknown command (3 bytes); a Firmata
    // version report cut off by the end of the stream (2 bytes).
    d.push(concat(velocity.subarray(0, 5), velocity, bytes('f0 0d f7'), velocity, bytes('f9 02')));
    d.flush();
    while (d.next());
    const s = d.stats();
    expect(s.rejectedBytes).toBe(5 + 3);
    expect(s.noiseBytes).toBe(2);
    expect(s.bytes).toBe(2 * velocity.length + s.rejectedBytes + s.noiseBytes);
  });

  it('a frame open at the end of the stream is rejected on flush', () => {
    expect(rejectedOf(decodeAll([velocity.subarray(0, 9)], true))).toEqual([
      expect.objectContaining({
        code: 'FRAME_TRUNCATED',
        message: expect.stringMatching(/end of stream after 7/),
      }),
    ]);
    expect(() => decodeFrame(velocity.subarray(0, 9))).toThrow(ProtocolError);
  });

  it('rejects every single-bit flip of every vector, and decodes the next good frame', () => {
    for (const v of VECTORS) {
      const good = bytes(v.frame);
      for (let i = 0; i < good.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const flipped = Uint8Array.from(good);
          flipped[i] = flipped[i]! ^ (1 << bit);
          const items = decodeAll([flipped, telemetry]);
          const frames = framesOf(items);
          // Only the good telemetry after it decodes, at its own offset.
          expect(
            frames.map((f) => f.offset),
            `${v.name} byte ${i} bit ${bit}`,
          ).toEqual([flipped.length]);
          // A flip past the command byte keeps it a drive-base frame: it must be counted as rejected.
          if (i >= 2) expect(rejectedOf(items).length, `${v.name} byte ${i} bit ${bit}`).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe('FrameDecoder properties', () => {
  it('round-trips any frame: decode(encode(f)) = f, all Sysex data bytes below 0x80', () => {
    fc.assert(
      fc.property(frameArb, (f) => {
        const wire = encodeFrame(f);
        expect(wire[0]).toBe(0xf0);
        expect(wire[wire.length - 1]).toBe(0xf7);
        expect(wire.subarray(1, -1).every((b) => b < 0x80)).toBe(true);
        expect(decodeFrame(wire)).toEqual(f);
      }),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('never crashes and never produces a frame from random bytes', () => {
    fc.assert(
      fc.property(fc.array(nastyByte, { maxLength: 400 }), (junk) => {
        expect(framesOf(decodeAll([junk], true))).toEqual([]);
      }),
      { numRuns: 1000, seed: 12 },
    );
  });

  it('never decodes a frame with 1 to 3 flipped bits (CRC-16 has Hamming distance 4 here)', () => {
    fc.assert(
      fc.property(
        frameArb,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 3 }),
        (f, flips) => {
          const wire = encodeFrame(f);
          const bad = Uint8Array.from(wire);
          const seen = new Set<string>();
          for (const [at, bit] of flips) {
            const i = 1 + (at % (wire.length - 2)); // command byte and packed payload
            if (seen.has(`${i}.${bit}`)) return; // two flips of one bit cancel out
            seen.add(`${i}.${bit}`);
            bad[i] = bad[i]! ^ (1 << bit);
          }
          expect(framesOf(decodeAll([bad], true))).toEqual([]);
        },
      ),
      { numRuns: 2000, seed: 13 },
    );
  });

  it('finds exactly the intact frames among junk, at their offsets', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(junkArb, frameArb), { maxLength: 12 }), junkArb, (parts, tail) => {
        const chunks: Uint8Array[] = [];
        const expected: Array<{ frame: Frame; offset: number }> = [];
        let at = 0;
        for (const [junk, f] of parts) {
          const wire = encodeFrame(f);
          chunks.push(Uint8Array.from(junk), wire);
          expected.push({ frame: f, offset: at + junk.length });
          at += junk.length + wire.length;
        }
        chunks.push(Uint8Array.from(tail));
        const got = framesOf(decodeAll([concat(...chunks)], true));
        expect(got.map(({ frame, offset }) => ({ frame, offset }))).toEqual(expected);
      }),
      { numRuns: 500, seed: 14 },
    );
  });

  it('gives the same items fed byte by byte, in random chunks, or whole', () => {
    const streamArb = fc.array(
      fc.oneof(
        junkArb,
        frameArb.map((f) => Array.from(encodeFrame(f))),
      ),
      {
        maxLength: 12,
      },
    );
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 20 }), (parts, cuts) => {
        const whole = concat(...parts.map((p) => Uint8Array.from(p)));
        const single = decodeAll([whole], true);
        const byteByByte = decodeAll(
          Array.from(whole, (b) => [b]),
          true,
        );
        const cutAt = [...new Set(cuts.map((c) => c % (whole.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...cutAt, whole.length];
        const chunks = bounds.slice(1).map((end, k) => whole.subarray(bounds[k], end));
        expect(byteByByte).toEqual(single);
        expect(decodeAll(chunks, true)).toEqual(single);
      }),
      { numRuns: 500, seed: 15 },
    );
  });
});
