/**
 * Keeps the RPLIDAR driver linked to its port across unplugging: reconnect.ts's Reconnector with
 * the driver as its link target. A port that stays open but sends no valid packet for
 * `relinkAfterNs` is closed and opened again; a link its owner finds unusable (no answer to the
 * start-up requests, health ERROR) is closed with `linkFailed()` and retried with backoff.
 */
import type { Clock } from '../../ros/index.js';
import { Reconnector } from '../reconnect.js';
import type { LidarPort, RplidarDriver } from './driver.js';

export interface LidarConnectionOptions {
  clock: Clock;
  /** Opens the device's port afresh (resolving once it is open). */
  connect: () => Promise<LidarPort>;
  /** ns before the first retry after a loss; doubles per failed attempt. Default 100 ms. */
  minBackoffNs?: bigint;
  /** ns: the longest wait between attempts. Default 2 s. */
  maxBackoffNs?: bigint;
  /** ns without a valid packet on an open port after which it is closed and opened again; above the motor's spin-up. Default 2 s. */
  relinkAfterNs?: bigint;
  /** ns a connect() may take before it counts as failed. Default 5 s. */
  connectTimeoutNs?: bigint;
}

export class LidarConnection extends Reconnector<LidarPort> {
  constructor(
    readonly driver: RplidarDriver,
    options: LidarConnectionOptions,
  ) {
    super(driver, {
      relinkAfterNs: 2000n * 1_000_000n,
      ...options,
      discard: (port) => {
        if (port.isOpen !== false) port.close(() => {});
      },
    });
  }
}
