/**
 * Drive-base protocol conformance, as a third party checks a board: a client that speaks only
 * bytes (test/support/drive-base-wire.ts, written from PROTOCOL.md and the Firmata spec, no
 * import of src/hardware) against the real firmware on the emulated ATmega328P behind a real pty
 * (socat; serialport on this side, as for /dev/ttyACM0). Every timing claim is read from the
 * board's own clock (TELEMETRY's uptime_ms) and the order of bytes on the wire; wall time only
 * bounds a hang. The board behaviour cases are the shared test vectors the C tests also run.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmulatedBoard, PtyBridge } from '../firmware-bridge/emulator/index.js';
import { DEFAULT_HEX } from '../firmware-bridge/emulator/in-the-loop.js';
import {
  WireClient,
  driveBaseIn,
  frame,
  isStopped,
  le16,
  pack7,
  setVelocity,
  telemetryIn,
  type Received,
  type Telemetry,
} from './support/drive-base-wire.js';

const VECTORS = JSON.parse(readFileSync('firmware-bridge/test-vectors.json', 'utf8')) as {
  behaviour: {
    clamping: Array<{ name: string; linear_mm_s: number; angular_mrad_s: number; status: number }>;
    sequence: Array<{ name: string; steps: Array<[number, number] | 'reset'> }>;
  };
};
const SYSTEM_RESET = [0xff];
const CLEAR_STOP = frame(0x07, [0xa5]);
const QUERY_CONFIG = frame(0x08, []);

let board: EmulatedBoard;
let bridge: PtyBridge<EmulatedBoard>;
let client: WireClient;
/** Seqs this client has used since the last reset: each command must be newer (§3.3). */
let seq = 0;

beforeAll(async () => {
  if (!existsSync(DEFAULT_HEX)) execFileSync('bash', ['firmware-bridge/build.sh']);
  board = await EmulatedBoard.fromHexFile(DEFAULT_HEX);
  bridge = await PtyBridge.start(board);
  client = await WireClient.open(bridge.hostPath);
}, 60_000);

afterAll(async () => {
  await client?.close();
  await bridge?.close();
});

/** Messages from index `from` on that are the drive-base message `command`, with their fields. */
const repliesOf = (r: Received[], command: number) =>
  r.map((x) => driveBaseIn(x.message, command)).filter((f): f is number[] => f !== undefined);

/** Sends bytes and returns the index of the first message received after them. */
async function send(bytes: number[]): Promise<number> {
  const from = client.received.length;
  await client.write(bytes);
  return from;
}

/** Sends one SET_VELOCITY with the next seq and returns its VELOCITY_ACK status. */
async function drive(linear: number, angular: number, withSeq?: number): Promise<number> {
  const useSeq = withSeq ?? (seq = (seq + 1) & 0xffff);
  const from = await send(setVelocity(useSeq, linear, angular));
  const ack = await client.until(
    (r) => repliesOf(r, 0x02).find((f) => (f[0]! | (f[1]! << 8)) === useSeq),
    `VELOCITY_ACK for seq ${useSeq}`,
    from,
  );
  return ack[2]!;
}

/** SYSTEM_RESET, then waits a telemetry period so it has surely been read; the window is open. */
async function reset(): Promise<void> {
  await send(SYSTEM_RESET);
  await client.untilUptime((client.telemetry?.uptimeMs ?? 0) + 40);
  seq = 0;
}

/**
 * Keeps commanding (linear, angular), a command per ~40 ms of board time, for at least `ms`, and
 * then until the board reports `settled` (at most 5 s more). The test program is a host on a
 * shared machine: held up for over 250 ms it lets the board time out and brake, as it must, and
 * the board drives on at the next command; what is checked is the board's answer to commanding.
 */
async function driveFor(
  linear: number,
  angular: number,
  ms: number,
  settled: (t: Telemetry) => boolean = () => true,
): Promise<Telemetry> {
  const start = client.telemetry?.uptimeMs ?? 0;
  for (;;) {
    expect(await drive(linear, angular)).toBeLessThanOrEqual(1);
    const t = await nextTelemetry(40);
    if (t.uptimeMs - start >= ms && settled(t)) return t;
    if (t.uptimeMs - start >= ms + 5000) throw new Error(`board never settled: ${linkStory()}`);
  }
}

/** Driving straight at `speed` mm/s, wheels turning, both wheels within 50 mm/s of it. */
const cruising = (speed: number) => (t: Telemetry) =>
  (t.state & 0x14) === 0x14 && Math.abs(t.leftSpeed - speed) <= 50 && Math.abs(t.rightSpeed - speed) <= 50;

/** The first telemetry received from now on that is `ms` of board time past the latest one seen. */
function nextTelemetry(ms: number): Promise<Telemetry> {
  const from = client.received.length;
  const after = (client.telemetry?.uptimeMs ?? 0) + ms;
  return client.until(
    (r) =>
      r
        .map((x) => telemetryIn(x.message))
        .find((t): t is Telemetry => t !== undefined && t.uptimeMs >= after),
    `telemetry ${ms} ms on`,
    from,
  );
}

/**
 * What the board and the link went through, for a failing assertion's message: resets, the
 * bridge's opens and drops, and the latest telemetry and ACKs received (board time, seqs).
 */
function linkStory(): string {
  const recent = client.received.slice(-40).flatMap((x) => {
    const t = telemetryIn(x.message);
    if (t) return [`T@${t.uptimeMs} last=${t.lastSeq} state=${t.state}`];
    const ack = driveBaseIn(x.message, 0x02);
    return ack ? [`ACK seq=${ack[0]! | (ack[1]! << 8)} status=${ack[2]}`] : [];
  });
  const { externalResets } = board.stats();
  const { opens, refusedOpens, droppedBytes, pausedMs } = bridge.stats();
  return `externalResets=${externalResets} opens=${opens} refused=${refusedOpens} dropped=${droppedBytes} paused=${Math.round(pausedMs)}ms; ${recent.join(', ')}`;
}

async function untilStopped(): Promise<Telemetry> {
  return client.until(
    (r) => r.map((x) => telemetryIn(x.message)).find((t): t is Telemetry => t !== undefined && isStopped(t)),
    'stopped telemetry',
    client.received.length,
  );
}

describe('the drive base as a third party sees it (bytes only, through a pty)', () => {
  it('greets the opener with REPORT_VERSION 2.5 and its firmware name, then telemetry', async () => {
    const firmware = await client.until(
      (r) => r.find((x) => x.message.kind === 'sysex' && x.message.bytes[0] === 0x79),
      'REPORT_FIRMWARE',
    );
    expect(client.raw.slice(0, 3)).toEqual([0xf9, 0x02, 0x05]);
    const bytes = firmware.message.kind === 'sysex' ? firmware.message.bytes : [];
    const name = String.fromCharCode(
      ...bytes
        .slice(3)
        .filter((_, i) => i % 2 === 0)
        .map((lo, i) => lo | (bytes[4 + i * 2]! << 7)),
    );
    expect(bytes.slice(0, 3)).toEqual([0x79, 0x02, 0x05]);
    expect(name).toBe('medhjalparen-drive');
    const t = await client.untilUptime(0);
    expect(t.state & 0x08).toBe(0x08); // default configuration
  });

  it('answers REPORT_VERSION, CAPABILITY_QUERY and ANALOG_MAPPING_QUERY as PROTOCOL.md §2 says', async () => {
    let from = await send([0xf9]);
    const version = await client.until(
      (r) => r.find((x) => x.message.kind === 'version')?.message,
      'REPORT_VERSION',
      from,
    );
    expect(version).toEqual({ kind: 'version', major: 2, minor: 5 });

    from = await send([0xf0, 0x6b, 0xf7]);
    const caps = await client.until(
      (r) => r.map((x) => x.message).find((m) => m.kind === 'sysex' && m.bytes[0] === 0x6c),
      'CAPABILITY_RESPONSE',
      from,
    );
    const pins = splitPins(caps.kind === 'sysex' ? caps.bytes.slice(1) : []);
    expect(pins).toHaveLength(20); // D0…D13, A0…A5
    for (const owned of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16])
      expect(pins[owned]).toEqual([]);
    expect(pins[13]).toContainEqual([1, 1]); // D13 OUTPUT
    for (const a of [17, 18, 19]) expect(pins[a]).toContainEqual([2, 10]); // A3–A5 ANALOG 10-bit

    from = await send([0xf0, 0x69, 0xf7]);
    const mapping = await client.until(
      (r) => r.map((x) => x.message).find((m) => m.kind === 'sysex' && m.bytes[0] === 0x6a),
      'ANALOG_MAPPING_RESPONSE',
      from,
    );
    expect(mapping.kind === 'sysex' && mapping.bytes.slice(1)).toEqual([
      ...Array(14).fill(0x7f),
      0,
      1,
      2,
      3,
      4,
      5,
    ]);
  });

  it('reports the battery pin’s raw reading on REPORT_ANALOG 0, at the sampling interval (clamped to 10…1000 ms)', async () => {
    await send(frame7a(5)); // below the minimum: taken as 10 ms
    let from = await send([0xc0, 0x01]);
    // Counted from the first sample on (when the request took effect), over 200 ms of board time.
    const first = await client.until(
      (r) => r.find((x) => x.message.kind === 'analog'),
      'an analog report',
      from,
    );
    const start = first.afterUptimeMs! + 20;
    await client.untilUptime(start + 200);
    await send([0xc0, 0x00]);
    const samples = client.received
      .slice(from)
      .filter((x) => x.afterUptimeMs! >= start && x.afterUptimeMs! < start + 200)
      .map((x) => x.message)
      .filter((m) => m.kind === 'analog');
    // 200 ms at 10 ms: 20 samples.
    expect(samples.length).toBe(20);
    for (const s of samples) {
      expect(s).toMatchObject({ channel: 0 });
      // 12 V through 1:3 on a 5 V 10-bit ADC: 12 / 15 × 1023 = 818.
      if (s.kind === 'analog') expect(Math.abs(s.value - 818)).toBeLessThanOrEqual(4);
    }
    // A1 and A2 are switches: asked for, they never report.
    from = await send([0xc1, 0x01, 0xc2, 0x01]);
    const t = (await client.untilUptime((client.telemetry?.uptimeMs ?? 0) + 100)).uptimeMs;
    await send([0xc1, 0x00, 0xc2, 0x00, ...frame7a(19)]);
    expect(
      client.received
        .slice(from)
        .filter((x) => x.afterUptimeMs! <= t)
        .map((x) => x.message)
        .filter((m) => m.kind === 'analog' && m.channel !== 0),
    ).toEqual([]);
  });

  it('sends TELEMETRY every 20 ms of board time', async () => {
    const from = client.received.length;
    const first = (await client.untilUptime((client.telemetry?.uptimeMs ?? 0) + 20)).uptimeMs;
    await client.untilUptime(first + 400);
    const times = client.received
      .slice(from)
      .map((x) => telemetryIn(x.message)?.uptimeMs)
      .filter((u): u is number => u !== undefined && u >= first && u <= first + 400);
    expect(times).toHaveLength(21);
    expect(new Set(times.slice(1).map((u, i) => u - times[i]!))).toEqual(new Set([20]));
  });

  it('drives when commanded, acknowledging each command with its own seq, and reports the last accepted', async () => {
    await reset();
    const t = await driveFor(300, 0, 800, cruising(300)); // driving, wheels turning, at speed
    expect(t.lastSeq, linkStory()).toBe(seq);
  });

  it('brakes to a controlled stop 250 ms after the last accepted command, and reports stopped', async () => {
    await reset();
    await driveFor(400, 0, 800, cruising(400));
    const from = await send(setVelocity((seq = seq + 1), 400, 0));
    // The command reached the board between the telemetry before its ACK and the one after.
    const ackAt = await client.until(
      (r) => {
        const i = r.findIndex((x) => driveBaseIn(x.message, 0x02));
        return i < 0 ? undefined : from + i;
      },
      'ACK',
      from,
    );
    const commandAt = client.received[ackAt]!.afterUptimeMs!;
    // Only telemetry after the ACK: what the board says about the time after this command.
    const stopping = await client.until(
      (r) =>
        r
          .map((x) => telemetryIn(x.message))
          .find((t): t is Telemetry => t !== undefined && (t.state & 0x22) === 0x22),
      'timeout + stopping',
      ackAt + 1,
    );
    expect(stopping.fault).toBe(3);
    expect(stopping.uptimeMs - commandAt, linkStory()).toBeGreaterThanOrEqual(230);
    expect(stopping.uptimeMs - commandAt).toBeLessThanOrEqual(250 + 20 + 20);
    const stopped = await untilStopped();
    // 400 mm/s at 3000 mm/s²: 133 ms of braking; still within a few telemetry periods after.
    expect(stopped.uptimeMs - stopping.uptimeMs).toBeLessThanOrEqual(133 + 100);
    expect([stopped.leftSpeed, stopped.rightSpeed]).toEqual([0, 0]);
    expect(stopped.state & 0x02).toBe(0x02);
  });

  it('accepts only newer sequence numbers: every shared sequence case (replay, reorder, wrap, reset)', async () => {
    for (const c of VECTORS.behaviour.sequence) {
      await reset();
      const statuses: Array<number | 'reset'> = [];
      for (const step of c.steps) {
        if (step === 'reset') {
          await reset();
          statuses.push('reset');
        } else statuses.push(await drive(0, 0, step[0]));
      }
      expect([c.name, statuses]).toEqual([c.name, c.steps.map((s) => (s === 'reset' ? s : s[1]))]);
    }
  });

  it('does not move again for a replayed command, and replays do not hold off the timeout', async () => {
    await reset();
    await driveFor(300, 0, 400);
    const replayed = seq;
    const loopFrom = client.received.length;
    for (let i = 0; i < 8; i++) {
      expect(await drive(300, 0, replayed)).toBe(3); // stale
      await client.untilUptime(client.telemetry!.uptimeMs + 40);
    }
    const loopEnd = client.received.length;
    const stopped = await untilStopped();
    expect(stopped.lastSeq).toBe(replayed);
    // The loop spans at least 8 × 40 ms of board time: the timeout fired while replays came in.
    const during = client.received.slice(loopFrom, loopEnd).map((x) => telemetryIn(x.message));
    expect(during.some((t) => t !== undefined && (t.state & 0x02) !== 0)).toBe(true);
    expect(stopped.fault).toBe(3);
  });

  it('clamps every shared clamping case with the status PROTOCOL.md §4.3 gives', async () => {
    await reset();
    for (const c of VECTORS.behaviour.clamping) {
      expect([c.name, await drive(c.linear_mm_s, c.angular_mrad_s)]).toEqual([c.name, c.status]);
    }
    await drive(0, 0);
    await untilStopped();
  });

  it('answers SET_LEDS and CLEAR_STOP with a COMMAND_ACK', async () => {
    let from = await send(frame(0x04, [2, 0, 64, 255]));
    expect(await commandAck(from, 0x04)).toBe(0);
    from = await send(CLEAR_STOP);
    expect(await commandAck(from, 0x07)).toBe(1); // nothing latched
    board.setBumper(true);
    from = await send(CLEAR_STOP);
    expect(await commandAck(from, 0x07)).toBe(2); // still pressed
    expect(await drive(100, 0)).toBe(2); // refused: latched
    board.setBumper(false);
    from = await send(CLEAR_STOP);
    expect(await commandAck(from, 0x07)).toBe(0);
    const t = (await sendAndSettle([])).telemetry;
    expect([t.state & 0x01, t.fault]).toEqual([0, 1]); // cleared; the fault names the last stop
  });

  it('rejects and counts every malformed frame class without a reply or any motion', async () => {
    await reset();
    await drive(0, 0);
    let before = (await sendAndSettle([])).telemetry.rejected;
    for (const [name, bytes, count] of MALFORMED) {
      const { telemetry, replies } = await sendAndSettle(bytes);
      const replyCount = [0x02, 0x06, 0x09].flatMap((c) => repliesOf(replies, c)).length;
      // Motors not driven (bit 2); a wheel settling from earlier tests may still tick (bit 4).
      expect([name, telemetry.rejected - before, replyCount, telemetry.state & 0x04]).toEqual([
        name,
        count,
        0,
        0,
      ]);
      before = telemetry.rejected;
    }
    // A frame cut short by F0 is rejected; the frame that F0 starts is read (the parser resyncs).
    const from = await send([...setVelocity(seq + 1, 300, 0).slice(0, 6), ...QUERY_CONFIG]);
    await client.until((r) => repliesOf(r, 0x06)[0], 'CONFIG_REPORT after the cut frame', from);
  });

  it('survives kilobytes of random bytes without moving', async () => {
    await reset();
    await drive(0, 0);
    await untilStopped();
    const before = (await sendAndSettle([])).telemetry;
    let x = 12345;
    const noise = Array.from({ length: 8192 }, () => ((x = (x * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
    for (let i = 0; i < noise.length; i += 1024) await client.write(noise.slice(i, i + 1024));
    const after = (await sendAndSettle([])).telemetry;
    expect(after.rejected).toBeGreaterThan(before.rejected);
    // Not driven; at most a tick or two of a wheel settling after the earlier tests (1 mm).
    expect(Math.abs(after.leftTicks - before.leftTicks)).toBeLessThanOrEqual(2);
    expect(Math.abs(after.rightTicks - before.rightTicks)).toBeLessThanOrEqual(2);
    expect(after.state & 0x04).toBe(0);
  });

  it('resets on open: a late opener hears the start-up report first, never a stale stream', async () => {
    await client.close();
    const resets = board.stats().externalResets;
    // The board runs on unheard for a second, as an Uno behind a USB port nobody has open.
    const t0 = performance.now();
    while (performance.now() - t0 < 1000) await new Promise((r) => setTimeout(r, 50));
    client = await WireClient.open(bridge.hostPath);
    await client.until((r) => r.find((x) => telemetryIn(x.message)), 'telemetry after reopening');
    expect(client.raw.slice(0, 5)).toEqual([0xf9, 0x02, 0x05, 0xf0, 0x79]);
    expect(board.stats().externalResets).toBe(resets + 1);
    const first = telemetryIn(client.received.find((x) => telemetryIn(x.message))!.message)!;
    expect(first.uptimeMs).toBeLessThan(100); // counted from the reset
    expect(first.lastSeq).toBe(0);
    seq = 0;
  });
});

describe('closing the emulated board', () => {
  it('leaves no socat process and no folder behind, even with a host end never read', async () => {
    const b = await PtyBridge.start(await EmulatedBoard.fromHexFile(DEFAULT_HEX));
    const link = b.hostPath;
    // Opened and never read (no 'data' listener: the stream stays paused), for a while.
    const unread = new SerialPort({ path: link, baudRate: 115200, autoOpen: false });
    unread.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => unread.open((e) => (e ? reject(e) : resolve())));
    const t0 = performance.now();
    while (performance.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 50));
    await expect(b.close()).resolves.toBeUndefined();
    await new Promise<void>((resolve) => (unread.isOpen ? unread.close(() => resolve()) : resolve()));
    expect(existsSync(link)).toBe(false);
    const pgrep = spawnSync('pgrep', ['-f', link]);
    if (pgrep.error) throw new Error(`pgrep failed (${pgrep.error.message}): apt-get install procps`);
    expect(pgrep.status).toBe(1); // no process names the link
  });
});

/**
 * Sends `bytes`, then QUERY_CONFIG as a sentinel: the board reads its input in order, so once the
 * sentinel's CONFIG_REPORT is back every byte before it has been handled, whatever the load.
 * Returns the first telemetry sent after that, and what came back before the report.
 */
async function sendAndSettle(bytes: number[]): Promise<{ telemetry: Telemetry; replies: Received[] }> {
  const from = await send([...bytes, ...QUERY_CONFIG]);
  const report = await client.until(
    (r) => {
      const i = r.findIndex((x) => driveBaseIn(x.message, 0x06));
      return i >= 0 ? i : undefined;
    },
    'CONFIG_REPORT (the sentinel)',
    from,
  );
  const telemetry = await client.until(
    (r) => r.map((x) => telemetryIn(x.message)).find((t) => t !== undefined),
    'telemetry after the sentinel',
    from + report + 1,
  );
  return { telemetry, replies: client.received.slice(from, from + report) };
}

/** SAMPLING_INTERVAL of `ms` (two 7-bit bytes). */
function frame7a(ms: number): number[] {
  return [0xf0, 0x7a, ms & 0x7f, (ms >> 7) & 0x7f, 0xf7];
}

async function commandAck(from: number, command: number): Promise<number> {
  const f = await client.until(
    (r) => repliesOf(r, 0x09).find((x) => x[0] === command),
    `COMMAND_ACK for 0x${command.toString(16)}`,
    from,
  );
  return f[1]!;
}

/** CAPABILITY_RESPONSE's body as each pin's (mode, resolution) pairs. */
function splitPins(body: number[]): Array<Array<[number, number]>> {
  const pins: Array<Array<[number, number]>> = [[]];
  for (let i = 0; i < body.length; i++) {
    if (body[i] === 0x7f) pins.push([]);
    else pins.at(-1)!.push([body[i]!, body[++i]!]);
  }
  return pins.slice(0, -1);
}

/** A valid SET_VELOCITY's packed payload with `edit` applied, framed again. */
function velocityWith(edit: (packed: number[]) => number[]): number[] {
  const good = setVelocity(60000, 500, 0);
  return [0xf0, 0x01, ...edit(good.slice(2, -1)), 0xf7];
}

/** Each class of malformed input (PROTOCOL.md §3.1, §2), and how many rejections it counts. */
const MALFORMED: Array<[string, number[], number]> = [
  ['one packed byte short', velocityWith((p) => p.slice(0, -1)), 1],
  ['one packed byte too many', velocityWith((p) => [...p, 0]), 1],
  ['padding bits not zero', velocityWith((p) => [...p.slice(0, -1), p.at(-1)! | 0x40]), 1],
  ['a CRC bit flipped', velocityWith((p) => [p[0]! ^ 0x01, ...p.slice(1)]), 1],
  ['unknown command 0x00', frame(0x00, [1, 2]), 1],
  ['unknown command 0x0f', frame(0x0f, []), 1],
  ['VELOCITY_ACK sent to the board', frame(0x02, [1, 0, 0]), 1],
  ['TELEMETRY sent to the board', frame(0x03, Array(25).fill(0)), 1],
  [
    'CONFIG_REPORT sent to the board',
    frame(0x06, [0xa4, 0x01, 0xd0, 0x07, 0xe8, 0x03, 0x20, 0x03, 0xdc, 0x05]),
    1,
  ],
  ['COMMAND_ACK sent to the board', frame(0x09, [4, 0]), 1],
  ['LED pattern out of range', frame(0x04, [6, 0, 0, 0]), 1],
  [
    'configuration out of range',
    frame(0x05, [...le16(50), ...le16(2000), ...le16(1000), ...le16(800), ...le16(1500)]),
    1,
  ],
  ['CLEAR_STOP with the wrong magic', frame(0x07, [0xa4]), 1],
  ['a SET_VELOCITY cut by a status byte', [...setVelocity(60001, 500, 0).slice(0, 7), 0x90, 0x00, 0x00], 1],
  ['SAMPLING_INTERVAL with one data byte', [0xf0, 0x7a, 0x13, 0xf7], 1],
  ['an unknown Firmata Sysex', [0xf0, 0x10, 0x01, 0xf7], 1],
  ['an overlong Sysex', [0xf0, 0x01, ...pack7(Array(180).fill(0x55)), 0xf7], 1],
];
