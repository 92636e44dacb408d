/**
 * Keeps a DriveBase linked to its board: when the port closes or errors the base has already
 * noticed (it detached itself); this opens a fresh port through the injected `connect()` when
 * the board comes back, retrying with exponential backoff, and recycles a port that stays open
 * but silent. All timing is on the injected clock, driven by tick() from a node timer. The
 * reconnecting itself is reconnect.ts's, shared with the lidar; this says what the drive base's
 * link is.
 */
import type { Clock } from '../ros/index.js';
import type { DriveBase } from './drive-base.js';
import { firmataIOOf, type BoardWithIO, type FirmataIO } from './firmata-io.js';
import { Reconnector, type ConnectionStatus, type LinkTarget } from './reconnect.js';

export type { ConnectionStatus };

export interface BaseConnectionOptions {
  clock: Clock;
  /** Opens the board's port afresh and resolves once Firmata is ready (johnny-five's 'ready'). */
  connect: () => Promise<FirmataIO | BoardWithIO>;
  /** ns to wait before the first retry after a loss; doubles per failed attempt. Default 100 ms. */
  minBackoffNs?: bigint;
  /** ns: the longest wait between attempts. Default 2 s. */
  maxBackoffNs?: bigint;
  /** ns of silence on an open port after which it is closed and opened again. Default 1 s. */
  relinkAfterNs?: bigint;
  /** ns a connect() may take before it counts as failed (its late port is closed). Default 5 s. */
  connectTimeoutNs?: bigint;
}

export class BaseConnection extends Reconnector<FirmataIO | BoardWithIO> {
  constructor(base: DriveBase, options: BaseConnectionOptions) {
    super(driveBaseLink(base), { ...options, discard: release });
  }
}

function driveBaseLink(base: DriveBase): LinkTarget<FirmataIO | BoardWithIO> {
  return {
    get attached() {
      return base.attached;
    },
    get connected() {
      return base.connected;
    },
    check: () => base.check(),
    silentForNs: () => base.silentForNs(),
    attach: (port) => base.attach(port), // throws IO_INVALID for a port that is not a Firmata board
    dropSilent: () => base.detach('telemetry_timeout', { closePort: true }),
    // The connection opened the port, so closing the connection closes it (after the last stop).
    release: () => base.detach('detached', { closePort: true }),
  };
}

/** A port that arrived after its attempt was abandoned: close it so it does not hold the device. */
function release(port: FirmataIO | BoardWithIO): void {
  firmataIOOf(port).transport?.close?.(() => {});
}
