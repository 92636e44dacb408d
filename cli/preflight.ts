import { showControls } from '../src/input/index.js';
import type { DeviceCheck } from '../src/robot/index.js';

/**
 * One line per device: what was found, or what is wrong (the robot starts only if all are ok).
 * What a device said and what the operator typed are shown, not obeyed: control characters in a
 * firmware name or a path never reach the terminal as such.
 */
export function formatDeviceChecks(checks: readonly DeviceCheck[]): string {
  return checks
    .map((c) => `${c.ok ? 'found' : 'error'}: ${showControls(c.device)}: ${showControls(c.message)}\n`)
    .join('');
}
