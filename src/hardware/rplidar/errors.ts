/**
 * Every way the RPLIDAR link can go wrong. Codes are never reused for another meaning: tools,
 * diagnostics and tests match on them.
 */

/** Why the stream decoder refused bytes from the device (counted, never thrown). */
export type RejectionCode =
  /** Bytes outside any packet: no response descriptor (A5 5A) where one must start. */
  | 'GARBAGE'
  /** A scan node whose start flag S and its inverse !S are equal. */
  | 'NODE_SYNC'
  /** A scan node whose check bit C is 0 (it is always 1). */
  | 'NODE_CHECK'
  /** A packet cut short: the device went quiet, or the stream ended, before its last byte. */
  | 'TRUNCATED'
  /** A response descriptor this driver cannot read: an unknown data type, or a length or send mode that is not its type's. */
  | 'DESCRIPTOR_UNKNOWN'
  /** A whole response with a field outside its domain (health status above 2). */
  | 'RESPONSE_FIELD';

export type LidarErrorCode =
  | RejectionCode
  /** Nothing came back to a request within its time. */
  | 'NO_ANSWER'
  /** Something came back, but it was not an RPLIDAR answer. */
  | 'NOT_RPLIDAR'
  /** The serial device could not be opened. */
  | 'CANNOT_OPEN'
  /** The device reports its health as ERROR: it will not scan until reset or repaired. */
  | 'HEALTH_ERROR'
  /** The port closed (or errored) while a request waited for its answer. */
  | 'LINK_LOST'
  /** A request was given up by the host (stop, reset or a replaced port). */
  | 'CANCELLED'
  /** A request while another still waits for its answer (the protocol is one at a time). */
  | 'BUSY'
  /** A verb with no port attached. */
  | 'NOT_ATTACHED'
  /** The motor could not be switched (the adapter refused DTR: a pty has no modem lines). */
  | 'MOTOR_CONTROL'
  /** A value handed to an encoder that does not fit its wire field (a bug in the caller). */
  | 'FIELD_RANGE'
  /** A node parameter or driver option outside its allowed range. */
  | 'PARAM_INVALID';

/**
 * The RPLIDAR module's error family. `where` says where the problem is: a device (`--lidar
 * /dev/ttyUSB1`), a stream position (`byte 120`), a field (`set_motor_pwm.pwm`) or a parameter
 * (`lidar.beams`). Configuration errors are thrown while setting up; bad bytes from the device at
 * run time are counted and reported, never thrown out of the decoder or the driver's listeners.
 */
export class LidarError extends Error {
  constructor(
    readonly code: LidarErrorCode,
    readonly where: string,
    readonly what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'LidarError';
  }

  /** The same error, said of another place (the probe names the device, not the driver). */
  at(where: string): LidarError {
    return new LidarError(this.code, where, this.what);
  }
}

/** What each rejection code means, for messages; a tag-keyed table so a new code must be named. */
export const REJECTION_TEXT: Readonly<Record<RejectionCode, string>> = Object.freeze({
  GARBAGE: 'not an RPLIDAR packet',
  NODE_SYNC: 'scan node with bad start flags',
  NODE_CHECK: 'scan node with its check bit clear',
  TRUNCATED: 'packet cut short',
  DESCRIPTOR_UNKNOWN: 'unreadable response descriptor',
  RESPONSE_FIELD: 'response field out of range',
});

export const REJECTION_CODES = Object.keys(REJECTION_TEXT) as RejectionCode[];
