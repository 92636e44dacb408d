/**
 * The real firmware in the loop (issue 4): the drive-base driver, johnny-five and firmata.js
 * on the emulated ATmega328P's serial link, stepped in lockstep on simulated time. Times are
 * emulated time, so they do not depend on the machine's speed.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { boardInTheLoop } from '../firmware-bridge/emulator/in-the-loop.js';
import { startDriveBase, telemetryFlags, type AckEvent, type TelemetryFrame } from '../src/hardware/index.js';
import { EmbeddedContext, SimClock } from '../src/ros/index.js';
import { type BaseState } from '../src/interfaces/index.js';
import { simulate } from '../cli/simulate.js';
import { loadScenario } from '../sim/scenario.js';

beforeAll(async () => {
  await promisify(execFile)('bash', ['firmware-bridge/build.sh']);
}, 60_000);

const MS = 1_000_000n;
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

async function rig() {
  const clock = new SimClock(0n);
  const ctx = new EmbeddedContext({ clock });
  // The board, and the robot's own driver on its link, as the simulator world starts them.
  const loop = await boardInTheLoop(clock.nowNs());
  const drive = startDriveBase(ctx.createNode('drive_base'), loop.link);
  const hil = { board: loop.board, base: drive.base, advanceTo: loop.advanceTo, stop: drive.stop };
  const probe = ctx.createNode('probe');
  const states: BaseState[] = [];
  probe.createSubscription('medhjalparen_msgs/msg/BaseState', '/base/state', (m) => states.push(m));
  let telemetry: TelemetryFrame | undefined;
  const acks: AckEvent[] = [];
  hil.base.on('telemetry', (t) => (telemetry = t.frame));
  hil.base.on('ack', (a) => acks.push(a));
  /** Lockstep in 1 ms steps: board, clock, executor, and the stream events firmata.js needs. */
  const run = async (ms: number, each?: (tMs: number) => void) => {
    for (let i = 0; i < ms; i++) {
      const t = clock.nowNs() + MS;
      hil.advanceTo(t);
      clock.advanceTo(t);
      ctx.spinSome();
      await settle();
      each?.(Number(t / MS));
    }
  };
  await run(300); // johnny-five's handshake and the first telemetry
  expect(hil.base.status().connected).toBe(true);
  return { clock, ctx, hil, states, acks, run, telemetry: () => telemetry! };
}

function vectorFrame(name: string): Buffer {
  const { vectors } = JSON.parse(readFileSync('firmware-bridge/test-vectors.json', 'utf8')) as {
    vectors: Array<{ name: string; frame: string }>;
  };
  return Buffer.from(vectors.find((v) => v.name === name)!.frame, 'hex');
}

describe('the drive base with the real firmware in the loop', () => {
  it('brakes to a stop when commands end: the stop begins within 250 ms, the wheels are still soon after', async () => {
    const r = await rig();
    let lastSentMs = 0;
    await r.run(1000, (t) => {
      if (t % 50 === 0) {
        r.hil.base.drive(0.4, 0);
        lastSentMs = t;
      }
    });
    expect(r.hil.board.pwm().left).toBeGreaterThan(0);
    let stoppingAtMs: number | undefined;
    let motorsOffAtMs: number | undefined;
    await r.run(800, (t) => {
      const flags = telemetryFlags(r.telemetry());
      if (stoppingAtMs === undefined && flags.stopping) stoppingAtMs = t;
      const off = r.hil.board.pwm().left === 0 && r.hil.board.pwm().right === 0;
      if (stoppingAtMs !== undefined && motorsOffAtMs === undefined && off && !flags.stopping)
        motorsOffAtMs = t;
    });
    // Telemetry comes every 20 ms: the stop is seen within one period of its start.
    expect(stoppingAtMs! - lastSentMs).toBeLessThanOrEqual(250 + 20);
    expect(stoppingAtMs! - lastSentMs).toBeGreaterThan(200); // not before the timeout either
    // 400 mm/s down the 3000 mm/s² stop ramp: 133 ms, then the motors are off.
    expect(motorsOffAtMs! - stoppingAtMs!).toBeLessThanOrEqual(133 + 40);
    const flags = telemetryFlags(r.telemetry());
    expect(flags).toMatchObject({ cmdTimeout: true, stopped: true, fault: 'cmd_timeout' });
    expect(r.hil.board.wheelSpeeds()).toEqual({ left: 0, right: 0 });
  });

  it('stops at once for the bumper and the e-stop, refuses to drive until cleared', async () => {
    for (const input of ['bumper', 'estop'] as const) {
      const r = await rig();
      const press = (on: boolean) =>
        input === 'bumper' ? r.hil.board.setBumper(on) : r.hil.board.setEstop(on);
      await r.run(600, (t) => t % 50 === 0 && r.hil.base.drive(0.4, 0));
      expect(r.hil.board.pwm().left).toBeGreaterThan(0);
      press(true);
      await r.run(2);
      expect(r.hil.board.pwm()).toEqual({ left: 0, right: 0 }); // within 2 ms, no ramp
      await r.run(200, (t) => t % 50 === 0 && r.hil.base.drive(0.4, 0));
      expect(r.hil.board.pwm()).toEqual({ left: 0, right: 0 });
      expect(r.acks.at(-1)!.status).toBe('refused_latched');
      const flags = telemetryFlags(r.telemetry());
      expect(flags.stopLatched).toBe(true);
      expect(flags.fault).toBe(input);
      expect(r.states.at(-1)).toMatchObject({ connected: true, stop_latched: true, fault: input });
      // Released, still latched; cleared, drives again.
      press(false);
      await r.run(100, (t) => t % 50 === 0 && r.hil.base.drive(0.4, 0));
      expect(r.hil.board.pwm()).toEqual({ left: 0, right: 0 });
      r.hil.base.clearStop();
      await r.run(400, (t) => t % 50 === 0 && r.hil.base.drive(0.4, 0));
      expect(r.hil.board.pwm().left).toBeGreaterThan(0);
      expect(r.acks.at(-1)!.status).toBe('accepted');
      r.hil.stop();
    }
  });

  it('rejects and counts a frame with a bad CRC, and never acts on it', async () => {
    const r = await rig();
    const before = r.telemetry().rejectedFrames;
    const acksBefore = r.acks.length;
    const bad = vectorFrame('set_velocity_forward');
    bad[bad.length - 2] = bad[bad.length - 2]! ^ 0x01; // the last packed byte: the CRC's high bits
    r.hil.board.transport.write(bad);
    await r.run(100);
    expect(r.telemetry().rejectedFrames).toBe(before + 1);
    expect(r.acks.length).toBe(acksBefore);
    expect(r.hil.board.pwm()).toEqual({ left: 0, right: 0 });
  });

  it('notices an unplugged cable at once, holds, and recovers when it is plugged back', async () => {
    const r = await rig();
    await r.run(300, (t) => t % 50 === 0 && r.hil.base.drive(0.3, 0));
    r.hil.board.unplug();
    await r.run(2); // the port's close event, then the next executor pass delivers /base/state
    expect(r.states.at(-1)!.connected).toBe(false);
    expect(r.hil.base.status().connected).toBe(false);
    await r.run(500);
    expect(r.hil.board.pwm()).toEqual({ left: 0, right: 0 }); // the board's own timeout
    r.hil.board.replug();
    await r.run(3000);
    expect(r.states.at(-1)!.connected).toBe(true);
    expect(r.hil.base.status().connects).toBeGreaterThanOrEqual(2);
    await r.run(500, (t) => t % 50 === 0 && r.hil.base.drive(0.3, 0));
    expect(r.hil.board.pwm().left).toBeGreaterThan(0);
  });

  it('escorts a customer with the emulated board driving the wheels', async () => {
    const scenario = await loadScenario(
      path.join('sim/scenarios/board-in-the-loop/escort-with-emulated-board.yaml'),
    );
    const report = await simulate(scenario, { board: (startNs) => boardInTheLoop(startNs) });
    expect(report.requests.map((q) => [q.outcome, q.destination])).toEqual([['arrived', 'toilets']]);
    expect(report.collisions).toEqual({ wall: 0, obstacle: 0, person: 0 });
    expect(report.ok).toBe(true);
  }, 300_000);
});
