/**
 * Is there an RPLIDAR on this port? Asked once at start-up, before anything moves: opens the
 * port, stops any scan a previous program left running, asks GET_INFO and GET_HEALTH, and either
 * returns what the device said or throws one LidarError whose message is a single line naming
 * the device and what was expected against what was found:
 *
 *   --lidar /dev/ttyUSB1: no such device; expected a serial device such as /dev/ttyUSB0 or /dev/ttyACM0 (…)
 *   --lidar /tmp/notes.txt: not a serial device: found an ordinary file; expected a serial device such as …
 *   --lidar /dev/ttyUSB1: no answer to GET_INFO within 1000 ms (expected an RPLIDAR response descriptor A5 5A 14 00 00 00 04)
 *   --lidar /dev/ttyUSB1: answered 37 bytes that are not RPLIDAR (first bytes F0 79 02 05 4D 00 65 00 …)
 *   --lidar /dev/ttyUSB1: health ERROR (error code 0x8002): the device will not scan (expected GOOD or WARNING)
 *
 * The probe is an adapter at start-up, not control code: it runs before any node (and so any
 * node clock) exists and waits for a real device in real time, as the serial port itself does.
 * So it reads the wall clock (SystemClock) and arms one interval timer to look at the driver's
 * deadlines, the only place in the lidar code that does.
 */
import { describeThrown } from '../../input/index.js';
import { SystemClock } from '../../ros/index.js';
import { HardwareError } from '../errors.js';
import { closePort, serialLink, type SerialPortLike } from '../serial-link.js';
import { RplidarDriver, type LidarPort } from './driver.js';
import { LidarError } from './errors.js';
import type { DeviceInfo, Health } from './protocol.js';

export interface ProbeOptions {
  /** Names the device in the error line. Default `--lidar <path>`, the command-line flag. */
  label?: string;
  /** How long to wait for each answer, ms. Default 1000. */
  timeoutMs?: number;
  /** Default 115200 (A1, A2M8). */
  baudRate?: number;
  /** Opens the port by path. Default openLidarPort (serialport). */
  open?: (path: string, baudRate: number) => Promise<LidarPort>;
}

export interface ProbeResult {
  /** The label the device goes by in messages. */
  device: string;
  info: DeviceInfo;
  health: Health;
}

/** Opens a serial device for the lidar with the `serialport` package (raw, 8N1). */
export function openLidarPort(path: string, baudRate = 115200): Promise<LidarPort> {
  return serialLink(path, path, baudRate).open() as Promise<LidarPort>;
}

/** Looks for an RPLIDAR on `target` (a device path, or a port already open); see the module comment. */
export async function probeRplidar(
  target: string | LidarPort,
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const path = typeof target === 'string' ? target : (target.path ?? 'port');
  const label = options.label ?? `--lidar ${path}`;
  const timeoutMs = options.timeoutMs ?? 1000;
  let port: LidarPort;
  if (typeof target === 'string') {
    try {
      port = await (options.open ?? openLidarPort)(target, options.baudRate ?? 115200);
    } catch (e) {
      const what = e instanceof HardwareError ? e.what : `cannot open: ${describeThrown(e)}`;
      throw new LidarError('CANNOT_OPEN', label, what);
    }
  } else {
    port = target;
  }
  const driver = new RplidarDriver(port, {
    clock: new SystemClock(),
    name: label,
    requestTimeoutNs: BigInt(Math.round(timeoutMs * 1e6)),
    // Longer than the protocol's 1 ms: scan bytes still in flight from an earlier program drain
    // before GET_INFO goes out, so they are not taken for its answer.
    stopQuietNs: 20_000_000n,
  });
  // eslint-disable-next-line no-restricted-syntax -- start-up adapter on the wall clock (module comment)
  const ticker = setInterval(() => driver.check(), 5);
  try {
    driver.stop();
    const info = await driver.info();
    const health = await driver.health();
    if (health.status === 'error') {
      const code = health.errorCode.toString(16).toUpperCase().padStart(4, '0');
      throw new LidarError(
        'HEALTH_ERROR',
        label,
        `health ERROR (error code 0x${code}): the device will not scan (expected GOOD or WARNING)`,
      );
    }
    return { device: label, info, health };
  } finally {
    clearInterval(ticker);
    driver.detach('detached');
    if (typeof target === 'string') await closeLidarPort(port);
  }
}

/** Closes `port` once what was written has gone out; resolves when it is closed (or already was). */
export function closeLidarPort(port: LidarPort): Promise<void> {
  return closePort(port as SerialPortLike);
}
