/**
 * `base --script`: on the emulated board it runs on the emulated clock in lockstep, so a script
 * prints the same lines every time, and it ends only once the wheels report stopped. Nothing here
 * depends on how fast the machine is: every time asserted is emulated (or a test double's) time.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIVE_CONFIG, type TelemetryEvent, type TelemetryFrame } from '../src/hardware/index.js';
import { SimClock } from '../src/ros/index.js';
import {
  STOPPED_FRAMES,
  STOP_WAIT_NS,
  driveScript,
  parseScript,
  runEmulatedScript,
  wheelsStopped,
  type ScriptTime,
} from './base-script.js';

const STATUS =
  /^wheels L (-?\d+\.\d\d) R (-?\d+\.\d\d) m\/s · ticks (-?\d+) (-?\d+) · .* · (driving|motors off) ·/;

describe('base --emulate --script on the emulated clock', () => {
  it('prints the same lines on every run, ends with the wheels stopped, and goes as far as the ramp allows', async () => {
    const script = '0.3,0,2';
    const a = await runEmulatedScript(script);
    const b = await runEmulatedScript(script);
    expect(b.lines).toEqual(a.lines);
    expect(b.summary).toEqual(a.summary);
    expect(a.code).toBe(0);

    expect(a.lines.slice(0, 3)).toEqual([
      'connecting to the emulated board (in-process) …',
      expect.stringMatching(/^found: the emulated board \(in-process\): firmware medhjalparen-drive /),
      'connected: the emulated board (in-process)',
    ]);
    // One status line after the segment (driving), one once stopped, then the summary.
    expect(a.lines).toHaveLength(6);
    expect(STATUS.exec(a.lines[3]!)?.[5]).toBe('driving');
    const last = STATUS.exec(a.lines[4]!);
    expect(last?.slice(1, 3)).toEqual(['0.00', '0.00']);
    expect(last?.[5]).toBe('motors off');

    const s = a.summary!;
    expect(s.clock).toBe('emulated');
    // It waited for the wheels: the stop took time, and the run outlasted the script by it.
    expect(s.stopMs).toBeGreaterThan(0);
    expect(s.elapsedS).toBeGreaterThanOrEqual(2 + s.stopMs / 1000);
    expect(s.configReported).toBe(true);
    expect(s.ticksPerM).toBe(DEFAULT_DRIVE_CONFIG.ticksPerM);
    // The board counts from 0 since the driver's open reset it, the wheels standing still.
    expect([s.leftTicks, s.rightTicks]).toEqual([Number(last![3]), Number(last![4])]);
    // The board ramps at max_accel (800 mm/s²): reaching 0.3 m/s takes v/a = 0.375 s and loses
    // v²/2a = 0.056 m against an instant start; stopping ramps down as long and adds as much.
    // The ideal trapezoid is v·T = 0.6 m; the command's hops (teleop, gate, driver: 50 ms
    // periods) and the motors' lag shift it by less than a ramp's worth either way.
    const v = 0.3;
    const accel = DEFAULT_DRIVE_CONFIG.maxAccelMmS2 / 1000;
    const rampM = (v * v) / (2 * accel);
    for (const m of [s.leftM, s.rightM]) {
      expect(m).toBeGreaterThan(v * 2 - 2 * rampM);
      expect(m).toBeLessThan(v * 2 + rampM);
    }
    expect(a.lines[5]).toBe(
      `done after ${s.elapsedS.toFixed(3)} s (emulated time) · wheels travelled L ${s.leftM.toFixed(3)} m R ${s.rightM.toFixed(3)} m ` +
        `(ticks ${s.leftTicks} ${s.rightTicks}, 2000 ticks/m as the board reports) · stopped ${s.stopMs.toFixed(0)} ms after the stop command`,
    );
  }, 120_000);

  it('turns in place: the wheels travel opposite ways, and it still waits for them to stop', async () => {
    const r = await runEmulatedScript('0,1,1');
    expect(r.code).toBe(0);
    const s = r.summary!;
    expect(s.leftM).toBeLessThan(0);
    expect(s.rightM).toBeGreaterThan(0);
    expect(s.stopMs).toBeGreaterThan(0);
    expect(STATUS.exec(r.lines.at(-2)!)?.slice(1, 3)).toEqual(['0.00', '0.00']);
  }, 120_000);
});

describe('the command line', () => {
  it('base --emulate --script exits 0 with the summary once the wheels stopped', async () => {
    const bin = path.resolve('bin/medhjalparen.js');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [bin, 'base', '--emulate', '--script', '0.2,0,1'],
      { timeout: 100_000, killSignal: 'SIGKILL' },
    );
    const lines = stdout.trimEnd().split('\n');
    expect(STATUS.exec(lines.at(-2)!)?.slice(1, 3)).toEqual(['0.00', '0.00']);
    expect(lines.at(-1)).toMatch(
      /^done after \d+\.\d{3} s \(emulated time\) · wheels travelled L 0\.\d{3} m R 0\.\d{3} m \(ticks \d+ \d+, 2000 ticks\/m as the board reports\) · stopped [1-9]\d* ms after the stop command$/,
    );
  }, 120_000);
});

/** A frame with these speeds (mm/s) and state bits. */
function frame(left: number, right: number, state = 0, ticks = 0): TelemetryFrame {
  return {
    kind: 'telemetry',
    lastSeq: 0,
    leftTicks: ticks,
    rightTicks: ticks,
    leftSpeedMmS: left,
    rightSpeedMmS: right,
    batteryMv: 12_000,
    inputs: 0,
    state,
    fault: 0,
    rejectedFrames: 0,
    uptimeMs: 0,
  };
}

describe('when the wheels count as stopped', () => {
  it('needs both measured speeds 0 and the motors not driving (today’s firmware)', () => {
    expect(wheelsStopped(frame(0, 0))).toBe(true);
    expect(wheelsStopped(frame(0, 0, 0x08))).toBe(true); // default configuration: no matter
    expect(wheelsStopped(frame(0, 0, 0x02))).toBe(true); // after a command timeout
    expect(wheelsStopped(frame(1, 0))).toBe(false);
    expect(wheelsStopped(frame(0, -1))).toBe(false);
    expect(wheelsStopped(frame(0, 0, 0x04))).toBe(false); // PWM still on
  });

  it('and, from a firmware that says so, no wheel turning and no controlled stop ramping', () => {
    expect(wheelsStopped(frame(0, 0, 0x10))).toBe(false);
    expect(wheelsStopped(frame(0, 0, 0x20))).toBe(false);
  });
});

/**
 * A stand-in base and script time (test doubles): each 20 ms of the double's clock the base sends
 * the next frame `play` gives, as the board's 50 Hz telemetry.
 */
function bench(play: (n: number) => TelemetryFrame) {
  const clock = new SimClock(0n);
  const listeners = new Set<(e: TelemetryEvent) => void>();
  let n = 0;
  const base = {
    on: (_event: 'telemetry', listener: (e: TelemetryEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    status: () => ({
      telemetry: frame(0, 0),
      ackRttP50Ms: 1,
      config: { ...DEFAULT_DRIVE_CONFIG },
      configReported: true,
    }),
  };
  const time: ScriptTime = {
    name: 'emulated',
    clock,
    async until(ready, forNs) {
      const end = clock.nowNs() + forNs;
      while (!ready() && clock.nowNs() < end) {
        clock.advanceTo(clock.nowNs() + 20_000_000n);
        const f = play(n++);
        for (const l of listeners)
          l({ frame: f, flags: {} as TelemetryEvent['flags'], receivedNs: clock.nowNs() });
      }
      return ready();
    },
  };
  const commands: Array<[number, number]> = [];
  const lines: string[] = [];
  const run = () =>
    driveScript({
      base: base as unknown as Parameters<typeof driveScript>[0]['base'],
      segments: parseScript('0.5,0,0.1'),
      time,
      command: (v, w) => commands.push([v, w]),
      out: (l) => lines.push(l),
    });
  return { run, commands, lines };
}

describe('the end of a script', () => {
  it('waits for STOPPED_FRAMES stopped frames in a row, and times the stop from the first of them', async () => {
    // Frames 0–4 (20–100 ms) in the segment; the stop goes out at 100 ms; then frames 5, 6
    // moving, 7 stopped, 8 moving (the run broken), and stopped for good from frame 9 (200 ms).
    const b = bench((n) => (n < 7 || n === 8 ? frame(100, 100, 0x04, n * 2) : frame(0, 0, 0, 20)));
    const r = await b.run();
    expect(r.code).toBe(0);
    expect(b.commands).toEqual([
      [0.5, 0],
      [0, 0],
    ]);
    expect(STOPPED_FRAMES).toBe(3);
    expect(r.summary!.stopMs).toBe(100); // 200 ms, the first of frames 9, 10, 11
    expect(r.summary!.elapsedS).toBeCloseTo(0.24, 9); // ends at frame 11, confirming it
    expect(b.lines.at(-2)).toMatch(/^wheels L 0\.00 R 0\.00 m\/s · ticks 20 20 · /);
    expect(r.summary!.leftTicks).toBe(20);
    expect(r.summary!.leftM).toBeCloseTo(0.01, 9);
  });

  it('fails, saying so, when the wheels never report stopped within the bound', async () => {
    const b = bench((n) => frame(100, 100, 0x04, n));
    const r = await b.run();
    expect(r.code).toBe(1);
    expect(r.summary).toBeUndefined();
    expect(b.lines.at(-1)).toBe(
      `error: the wheels did not report stopped within ${Number(STOP_WAIT_NS) / 1e9} s (emulated time) of the stop command`,
    );
  });
});

describe('parseScript', () => {
  it('reads v,w,seconds segments and names the first bad one', () => {
    expect(parseScript('0.4, 0, 2;0,1,1')).toEqual([
      { linear: 0.4, angular: 0, seconds: 2 },
      { linear: 0, angular: 1, seconds: 1 },
    ]);
    expect(() => parseScript('0.4,0,2;0,1')).toThrow(
      "--script segment 2 '0,1': expected v,w,seconds (m/s, rad/s, s > 0)",
    );
    expect(() => parseScript('0.4,0,0')).toThrow(/segment 1 '0\.4,0,0'/);
    expect(() => parseScript('x,0,1')).toThrow(/segment 1/);
  });
});
