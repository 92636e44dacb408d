import { describe, expect, it } from 'vitest';
import { SimClock } from '../ros/index.js';
import { BaseConnection, DriveBase, type FirmataIO } from './index.js';
import { FakeFirmataIO, ScriptedBoard } from './test-doubles.js';

const MS = 1_000_000n;
const settle = () => new Promise((r) => setImmediate(r));

/**
 * A base with a connection whose connect() is scripted: `plugged` says whether the board is
 * there; each successful connect hands out a fresh FakeFirmataIO (as a fresh firmata Board).
 */
function rig() {
  const clock = new SimClock(0n);
  const base = new DriveBase(undefined, { clock });
  const ports: FakeFirmataIO[] = [];
  const attemptsAt: number[] = [];
  const state = { plugged: true, hang: false };
  let hung: ((io: FirmataIO) => void) | undefined;
  const connection = new BaseConnection(base, {
    clock,
    connect: () => {
      attemptsAt.push(Number(clock.nowNs() / MS));
      if (state.hang) return new Promise<FirmataIO>((resolve) => (hung = resolve));
      if (!state.plugged) return Promise.reject(new Error('cannot open /dev/ttyUSB0: no such file'));
      const io = new FakeFirmataIO();
      ports.push(io);
      return Promise.resolve(io);
    },
  });
  /** Steps the clock in 10 ms ticks (as the node's supervisor timer does) up to `toMs`. */
  let nowMs = 0;
  const runTo = async (toMs: number, each?: (ms: number) => void) => {
    while (nowMs < toMs) {
      nowMs += 10;
      clock.advanceTo(BigInt(nowMs) * MS);
      each?.(nowMs);
      connection.tick();
      await settle();
    }
  };
  const latest = () => new ScriptedBoard(ports.at(-1)!);
  return {
    clock,
    base,
    connection,
    ports,
    attemptsAt,
    state,
    runTo,
    latest,
    resolveHung: (io: FirmataIO) => hung?.(io),
  };
}

describe('BaseConnection', () => {
  it('opens the port at the first tick and is connected at the first telemetry', async () => {
    const r = rig();
    await r.runTo(10);
    expect(r.attemptsAt).toEqual([10]);
    expect(r.base.status()).toMatchObject({ attached: true, connected: false, reason: 'connecting' });
    r.latest().telemetry();
    expect(r.base.connected).toBe(true);
  });

  it('reopens a fresh port 100 ms after an unplug, and tells the new board its configuration again', async () => {
    const r = rig();
    r.base.configure({
      wheelBaseMm: 400,
      ticksPerM: 2500,
      maxSpeedMmS: 900,
      maxAccelMmS2: 600,
      maxAngularMradS: 1200,
    });
    await r.runTo(10);
    const board = r.latest();
    await r.runTo(200, () => board.telemetry());
    r.ports[0]!.unplug();
    expect(r.base.status().reason).toBe('port_closed');
    await r.runTo(400);
    expect(r.attemptsAt).toEqual([10, 310]); // first tick after the loss at 210 schedules 310
    expect(r.ports).toHaveLength(2);
    expect(r.ports[1]!.sentFrames()[0]).toMatchObject({ kind: 'set_config', config: { ticksPerM: 2500 } });
    r.latest().telemetry();
    expect(r.base.connected).toBe(true);
  });

  it('retries with doubling backoff up to 2 s while the board is away', async () => {
    const r = rig();
    r.state.plugged = false;
    await r.runTo(6000);
    expect(r.attemptsAt).toEqual([10, 110, 310, 710, 1510, 3110, 5110]);
    expect(r.connection.status()).toMatchObject({
      failures: 7,
      lastError: 'cannot open /dev/ttyUSB0: no such file',
      backoffNs: 2000n * MS,
    });
    r.state.plugged = true;
    await r.runTo(7200);
    expect(r.base.attached).toBe(true);
    r.latest().telemetry();
    await r.runTo(7210);
    expect(r.connection.status().backoffNs).toBe(100n * MS); // reset once the board speaks again
  });

  it('closes and reopens a port that stays silent for more than a second', async () => {
    const r = rig();
    await r.runTo(10);
    const board = r.latest();
    await r.runTo(100, () => board.telemetry());
    await r.runTo(300); // silent
    expect(r.base.status()).toMatchObject({ attached: true, connected: false, reason: 'telemetry_timeout' });
    await r.runTo(1100);
    expect(r.ports[0]!.transport.closed).toBe(false); // 1 s of silence exactly: not yet
    await r.runTo(1300);
    expect(r.ports[0]!.transport.closed).toBe(true); // at 1110; the retry follows 100 ms later
    expect(r.attemptsAt).toEqual([10, 1210]);
  });

  it('gives up on a connect that hangs, and closes the port if it turns up late', async () => {
    const r = rig();
    r.state.hang = true;
    await r.runTo(5020);
    expect(r.connection.status()).toMatchObject({
      failures: 1,
      lastError: 'connect did not finish within 5000 ms',
    });
    const late = new FakeFirmataIO();
    r.resolveHung(late);
    await settle();
    expect(late.transport.closed).toBe(true);
    expect(r.base.attached).toBe(false);
  });

  it('stops reconnecting once closed', async () => {
    const r = rig();
    await r.runTo(10);
    r.connection.close();
    await r.runTo(1000);
    expect(r.attemptsAt).toEqual([10]);
    expect(r.base.status().reason).toBe('detached');
  });

  it('closes the port it opened when it is closed (issue 9: a stopped robot held its serial device open)', async () => {
    const r = rig();
    await r.runTo(10);
    r.latest().telemetry();
    expect(r.base.status().connected).toBe(true);
    r.connection.close();
    await settle();
    expect(r.ports.at(-1)!.transport.closed).toBe(true);
  });
});
