import type { DeviceCheck } from '../src/robot/index.js';

/** One line per device: what was found, or what is wrong (the robot starts only if all are ok). */
export function formatDeviceChecks(checks: readonly DeviceCheck[]): string {
  return checks.map((c) => `${c.ok ? 'found' : 'error'}: ${c.device}: ${c.message}\n`).join('');
}
