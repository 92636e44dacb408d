import { describe, expect, it } from 'vitest';
import { Time } from '../ros/index.js';
import {
  baseFault,
  batteryMessage,
  diagnosticLevel,
  odometryMessage,
  type DiagnosticsInput,
} from './base-messages.js';
import type { DriveBaseStatus } from './drive-base.js';
import { telemetryFlags, type TelemetryFrame } from './protocol.js';

const telemetry = (o: Partial<TelemetryFrame> = {}): TelemetryFrame => ({
  kind: 'telemetry',
  lastSeq: 0,
  leftTicks: 0,
  rightTicks: 0,
  leftSpeedMmS: 0,
  rightSpeedMmS: 0,
  batteryMv: 12000,
  inputs: 0,
  state: 0,
  fault: 0,
  rejectedFrames: 0,
  uptimeMs: 0,
  ...o,
});
const status = (o: Partial<DriveBaseStatus> = {}): DriveBaseStatus =>
  ({
    connected: true,
    reason: undefined,
    telemetry: telemetry(),
    flags: telemetryFlags(telemetry()),
    ...o,
  }) as DriveBaseStatus;
const diag = (s: DriveBaseStatus, o: Partial<DiagnosticsInput> = {}): DiagnosticsInput => ({
  status: s,
  connection: undefined,
  newlyRejected: 0,
  newlyLimited: 0,
  hardwareId: 'x',
  name: 'x',
  ...o,
});

describe('baseFault', () => {
  it('is empty while all is well, and an idle board’s command timeout is no fault', () => {
    expect(baseFault(status())).toBe('');
    expect(baseFault(status({ flags: telemetryFlags({ inputs: 0, state: 2, fault: 3 }) }))).toBe('');
  });
  it('names the board’s stop reason, or why the link is down', () => {
    expect(baseFault(status({ flags: telemetryFlags({ inputs: 2, state: 1, fault: 2 }) }))).toBe('estop');
    expect(baseFault(status({ connected: false, reason: 'port_closed' }))).toBe('port_closed');
  });
});

describe('diagnosticLevel', () => {
  it('grades the link and the board', () => {
    expect(diagnosticLevel(diag(status()))).toEqual({ level: 0, message: 'connected' });
    expect(diagnosticLevel(diag(status(), { newlyRejected: 2 }))).toEqual({
      level: 1,
      message: '2 frames rejected',
    });
    const bumper = telemetryFlags({ inputs: 1, state: 1, fault: 1 });
    expect(diagnosticLevel(diag(status({ flags: bumper })))).toEqual({
      level: 1,
      message: 'stop latched: bumper',
    });
    const battery = telemetryFlags({ inputs: 0, state: 2, fault: 4 });
    expect(diagnosticLevel(diag(status({ flags: battery })))).toEqual({
      level: 2,
      message: 'stopped: battery_low',
    });
    expect(diagnosticLevel(diag(status({ connected: false, reason: 'port_error' })))).toEqual({
      level: 2,
      message: 'disconnected: port_error',
    });
    expect(
      diagnosticLevel(diag(status({ connected: false, reason: 'connecting', telemetry: undefined }))),
    ).toMatchObject({
      level: 3,
    });
  });
});

describe('messages', () => {
  it('clamps the battery estimate to 0..1 and calls a battery below empty dead', () => {
    const m = { emptyV: 10.5, fullV: 12.6 };
    expect(batteryMessage(telemetry({ batteryMv: 13000 }), new Time(0n), m, 'base_link').percentage).toBe(1);
    const low = batteryMessage(telemetry({ batteryMv: 10000 }), new Time(0n), m, 'base_link');
    expect([low.percentage, low.power_supply_health]).toEqual([0, 3]);
  });

  it('stamps odometry in odom with the child frame base_link and a 6×6 covariance', () => {
    const o = odometryMessage({ pose: { x: 1, y: 2, yaw: 0 }, v: 0.5, w: 0.1 }, new Time(1_500_000_000n), {
      odomFrame: 'odom',
      baseFrame: 'base_link',
    });
    expect(o.header).toEqual({ stamp: { sec: 1, nanosec: 500_000_000 }, frame_id: 'odom' });
    expect(o.child_frame_id).toBe('base_link');
    expect(o.pose.covariance).toHaveLength(36);
    expect([o.twist.twist.linear.x, o.twist.twist.angular.z]).toEqual([0.5, 0.1]);
  });
});
