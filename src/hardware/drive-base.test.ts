import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimClock } from '../ros/index.js';
import {
  DriveBase,
  HardwareError,
  encodeFrame,
  type ConnectionChange,
  type DriveBaseEvents,
  type ProtocolError,
} from './index.js';
import { FakeFirmataIO, ScriptedBoard } from './test-doubles.js';

const MS = 1_000_000n;
const VECTORS = (
  JSON.parse(readFileSync(new URL('../../firmware-bridge/test-vectors.json', import.meta.url), 'utf8')) as {
    vectors: Array<{ name: string; frame: string }>;
  }
).vectors;
const vector = (name: string) => Buffer.from(VECTORS.find((v) => v.name === name)!.frame, 'hex');

function rig() {
  const clock = new SimClock(0n);
  const io = new FakeFirmataIO();
  const board = new ScriptedBoard(io);
  const base = new DriveBase(io, { clock });
  const events: { [K in keyof DriveBaseEvents]: Array<DriveBaseEvents[K]> } = {
    telemetry: [],
    ack: [],
    commandAck: [],
    config: [],
    rejected: [],
    connection: [],
  };
  for (const k of Object.keys(events) as Array<keyof DriveBaseEvents>) {
    base.on(k, (e) => (events[k] as unknown[]).push(e));
  }
  const at = (ms: number) => clock.advanceTo(BigInt(ms) * MS);
  return { clock, io, board, base, events, at };
}

describe('DriveBase over a Firmata IO', () => {
  it('asks for the configuration on attach and counts as connected only from the first telemetry', () => {
    const { io, board, base, events } = rig();
    expect(io.sentFrames()).toEqual([{ kind: 'query_config' }]);
    expect(base.status()).toMatchObject({ attached: true, connected: false, reason: 'connecting' });
    board.telemetry();
    expect(base.connected).toBe(true);
    expect(events.connection.at(-1)).toEqual({ connected: true, reason: undefined, newLink: true });
    expect(events.telemetry).toHaveLength(1);
  });

  it('decodes the vector frames the board plays back: telemetry, acks, config report', () => {
    const { io, base, events } = rig();
    io.receive(vector('telemetry_driving'));
    io.receive(vector('config_report_default'));
    io.receive(vector('velocity_ack_clamped'));
    expect(events.telemetry[0]!.frame).toMatchObject({ lastSeq: 42, leftTicks: 123456, rightTicks: -7 });
    expect(events.config).toEqual([
      { wheelBaseMm: 420, ticksPerM: 2000, maxSpeedMmS: 1000, maxAccelMmS2: 800, maxAngularMradS: 1500 },
    ]);
    expect(events.ack).toEqual([{ seq: 258, status: 'clamped', rttNs: undefined }]); // never sent by us
    expect(base.status()).toMatchObject({ boardRejected: 3, configReported: true, framesReceived: 3 });
  });

  it('drives in mm/s and mrad/s with a seq per command, clamped to the limits in force', () => {
    const { io, board, base } = rig();
    board.telemetry();
    expect(base.drive(0.5, 0.3)).toBe(1);
    expect(base.drive(2.5, -9)).toBe(2); // beyond the default 1000 mm/s, 1500 mrad/s
    board.send({
      kind: 'config_report',
      config: {
        wheelBaseMm: 420,
        ticksPerM: 2000,
        maxSpeedMmS: 800,
        maxAccelMmS2: 800,
        maxAngularMradS: 1000,
      },
    });
    expect(base.drive(0.9, 1.2)).toBe(3);
    expect(io.sentFrames().filter((f) => f.kind === 'set_velocity')).toEqual([
      { kind: 'set_velocity', seq: 1, linearMmS: 500, angularMradS: 300 },
      { kind: 'set_velocity', seq: 2, linearMmS: 1000, angularMradS: -1500 },
      { kind: 'set_velocity', seq: 3, linearMmS: 800, angularMradS: 1000 },
    ]);
  });

  it('sends a stop for non-finite velocities and while it has not heard from the board', () => {
    const { io, board, base } = rig();
    base.drive(0.4, 0); // attached, no telemetry yet: the board is not seen
    board.telemetry();
    base.drive(Number.NaN, 0.2);
    base.drive(0.4, Infinity);
    const sent = io.sentFrames().filter((f) => f.kind === 'set_velocity');
    expect(sent.map((f) => f.kind === 'set_velocity' && [f.linearMmS, f.angularMradS])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(base.status().invalidCommands).toBe(2);
  });

  it('wraps seq after 65535 to 0', () => {
    const { io, board, base } = rig();
    board.telemetry();
    for (let i = 0; i < 65535; i++) base.drive(0, 0);
    expect(base.drive(0, 0)).toBe(0);
    expect(base.drive(0, 0)).toBe(1);
    expect(io.written.length).toBeGreaterThan(65537);
  });

  it('measures the ack round trip on the injected clock and reports the median', () => {
    const { board, base, events, at } = rig();
    board.telemetry();
    const trips: Array<[sentMs: number, rttMs: number]> = [
      [10, 2],
      [20, 3],
      [30, 7],
    ];
    for (const [sentMs, rttMs] of trips) {
      at(sentMs);
      base.drive(0.2, 0);
      at(sentMs + rttMs);
      board.reply();
    }
    expect(events.ack.map((a) => [a.seq, a.status, a.rttNs])).toEqual([
      [1, 'accepted', 2n * MS],
      [2, 'accepted', 3n * MS],
      [3, 'accepted', 7n * MS],
    ]);
    expect(base.status().ackRttP50Ms).toBe(3);
    expect(base.status().acks).toEqual({
      accepted: 3,
      clamped: 0,
      refused_latched: 0,
      refused_stale: 0,
      refused_battery_low: 0,
    });
  });

  it('counts a corrupted frame from the board with its reason and offset, and does not act on it', () => {
    const { io, base, events } = rig();
    io.receive(vector('telemetry_idle')); // 34 bytes
    const bad = vector('telemetry_driving');
    bad[10] = bad[10]! ^ 0x04;
    expect(() => io.receive(bad)).not.toThrow();
    expect(events.telemetry).toHaveLength(1);
    expect(events.rejected).toHaveLength(1);
    const err: ProtocolError = events.rejected[0]!;
    expect(err).toMatchObject({ code: 'FRAME_CRC', offset: 34 });
    expect(err.message).toMatch(/^byte 34: frame 0x03: bad checksum/);
    expect(base.status()).toMatchObject({
      hostRejected: 1,
      hostRejectedByCode: expect.objectContaining({ FRAME_CRC: 1 }),
      lastRejection: err.message,
      telemetry: expect.objectContaining({ uptimeMs: 1000 }), // still the good one
    });
  });

  it('refuses a host command coming back from the board (a loop-back or crossed wires)', () => {
    const { io, base, events } = rig();
    io.receive(vector('set_velocity_forward'));
    expect(events.rejected.map((e) => e.code)).toEqual(['FRAME_DIRECTION']);
    expect(base.status().framesReceived).toBe(0);
  });

  it('notices 100 ms without telemetry, drives only stops meanwhile, and recovers on telemetry', () => {
    const { io, board, base, events, at } = rig();
    board.telemetry();
    at(100);
    base.check();
    expect(base.connected).toBe(true); // exactly 100 ms: not yet
    at(101);
    base.check();
    expect(base.connected).toBe(false);
    expect(events.connection.at(-1)).toEqual({
      connected: false,
      reason: 'telemetry_timeout',
      newLink: false,
    });
    base.drive(0.5, 0);
    const last = io.sentFrames().at(-1);
    expect(last).toMatchObject({ kind: 'set_velocity', linearMmS: 0, angularMradS: 0 });
    at(150);
    board.telemetry();
    expect(events.connection.at(-1)).toEqual({ connected: true, reason: undefined, newLink: false });
    expect(base.status()).toMatchObject({ connects: 2, disconnects: 1 });
  });

  it('gives a fresh link 500 ms for its first telemetry', () => {
    const { base, at, events } = rig();
    at(450);
    base.check();
    expect(base.status().reason).toBe('connecting');
    at(501);
    base.check();
    expect(base.status().reason).toBe('telemetry_timeout');
    expect(events.connection.map((c: ConnectionChange) => c.reason)).toEqual(['telemetry_timeout']);
  });

  it('knows at once when the port closes or errors, and stops sending', () => {
    const { io, board, base, events } = rig();
    board.telemetry();
    io.unplug();
    expect(base.status()).toMatchObject({ attached: false, connected: false, reason: 'port_closed' });
    expect(events.connection.at(-1)).toEqual({ connected: false, reason: 'port_closed', newLink: false });
    const written = io.written.length;
    expect(base.drive(0.3, 0)).toBeUndefined();
    expect(base.setLeds('idle')).toBe(false);
    expect(io.written.length).toBe(written);
    expect(base.status().unsent).toBe(2);
    io.receive(vector('telemetry_idle')); // a late frame from the old port is not ours any more
    expect(events.telemetry).toHaveLength(1);

    // A closing port may still report an error after the unplug: no listener would crash the process.
    expect(() => io.emit('error', new Error('EIO after close'))).not.toThrow();
    expect(base.status().reason).toBe('port_closed');

    const other = rig();
    other.board.telemetry();
    other.io.emit('error', new Error('EIO'));
    expect(other.base.status().reason).toBe('port_error');
  });

  it('repeats the configuration and LEDs on a new port: a restarted board forgot them', () => {
    const { base, board } = rig();
    board.telemetry();
    const config = {
      wheelBaseMm: 400,
      ticksPerM: 2500,
      maxSpeedMmS: 900,
      maxAccelMmS2: 600,
      maxAngularMradS: 1200,
    };
    base.configure(config);
    base.setLeds('guiding', { red: 0, green: 64, blue: 300 });
    const fresh = new FakeFirmataIO();
    base.attach(fresh);
    expect(fresh.sentFrames()).toEqual([
      { kind: 'set_config', config },
      { kind: 'set_leds', pattern: 'guiding', red: 0, green: 64, blue: 255 },
    ]);
    expect(base.config()).toEqual(config); // requested, until the new board reports
  });

  it('routes each board’s replies to its own driver, though firmata.js shares one handler table', () => {
    const a = rig();
    const b = rig();
    a.board.uptimeMs = 111;
    b.board.uptimeMs = 222;
    a.board.telemetry();
    b.board.telemetry();
    expect(a.events.telemetry.map((t) => t.frame.uptimeMs)).toEqual([111]);
    expect(b.events.telemetry.map((t) => t.frame.uptimeMs)).toEqual([222]);
  });

  it('survives a listener that throws, and counts it', () => {
    const { base, board, events } = rig();
    base.on('telemetry', () => {
      throw new Error('bug in a listener');
    });
    expect(() => board.telemetry()).not.toThrow();
    board.telemetry();
    expect(events.telemetry).toHaveLength(2);
    expect(base.status().listenerErrors).toBe(2);
  });

  it('sends clear-stop and query-config, and refuses a configuration the board would reject', () => {
    const { io, base } = rig();
    base.clearStop();
    base.queryConfig();
    expect(io.sentFrames().slice(-2)).toEqual([{ kind: 'clear_stop' }, { kind: 'query_config' }]);
    expect(io.written.at(-2)).toEqual(Array.from(encodeFrame({ kind: 'clear_stop' }).subarray(1, -1)));
    expect(() =>
      base.configure({
        wheelBaseMm: 420,
        ticksPerM: 50,
        maxSpeedMmS: 1000,
        maxAccelMmS2: 800,
        maxAngularMradS: 1500,
      }),
    ).toThrow(/ticks_per_m: expected 100…20000, found 50/);
  });

  it('refuses something that is not a Firmata board', () => {
    const clock = new SimClock(0n);
    expect(() => new DriveBase({} as never, { clock })).toThrow(HardwareError);
    expect(() => new DriveBase({} as never, { clock })).toThrow(/io\.sysexCommand: expected a Firmata board/);
  });
});
