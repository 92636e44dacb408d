/**
 * Every way the drive-base link can go wrong. Codes are never reused for another meaning: tools,
 * diagnostics and tests match on them.
 */
export type ProtocolErrorCode =
  /** A drive-base Sysex whose packed length is not exactly ⌈8n/7⌉ for its command. */
  | 'FRAME_LENGTH'
  /** The zero padding in the last packed byte is not zero. */
  | 'FRAME_PADDING'
  /** The CRC-16/CCITT-FALSE over command and fields does not match. */
  | 'FRAME_CRC'
  /** A status byte (F0 included) arrived inside the Sysex: it ended malformed. */
  | 'FRAME_TRUNCATED'
  /** A Sysex in the drive base's user range (0x01–0x0F) that is not one of its commands. */
  | 'FRAME_UNKNOWN_COMMAND'
  /** A well-formed frame with a field outside its domain (ack status, LED pattern, config range). */
  | 'FRAME_FIELD'
  /** A frame the host sends arrived from the board (a host→board command coming back). */
  | 'FRAME_DIRECTION';

export type HardwareErrorCode =
  | ProtocolErrorCode
  /** encodeFrame was handed a value that does not fit its wire field (a bug in the caller). */
  | 'FIELD_RANGE'
  /** A drive-base configuration outside the ranges the board accepts (PROTOCOL.md §5). */
  | 'CONFIG_INVALID'
  /** A node parameter outside its allowed range. */
  | 'PARAM_INVALID'
  /** The object handed over as the board's IO lacks the Firmata methods the driver needs. */
  | 'IO_INVALID'
  /** Nothing at the path given for a serial device (unplugged, or a typing mistake). */
  | 'NO_SUCH_DEVICE'
  /** The path names something that is not a serial device: a file, a directory, a FIFO, /dev/null. */
  | 'NOT_A_SERIAL_DEVICE'
  /** A serial device that cannot be opened now: permissions, another program has it, gone. */
  | 'PORT_UNAVAILABLE';

/**
 * The hardware module's error family. `where` says where the problem is: a field path
 * (`set_velocity.seq`), a parameter (`base.cmd_timeout`) or a stream position (`byte 120`).
 * Configuration errors are thrown while setting up; bad bytes from the board at run time are
 * counted and reported, never thrown out of the driver.
 */
export class HardwareError extends Error {
  constructor(
    readonly code: HardwareErrorCode,
    readonly where: string,
    /** What is wrong, without the place: for a message that names the place its own way. */
    readonly what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'HardwareError';
  }
}

/**
 * A drive-base frame the decoder rejected: why (`code`), where its F0 was in the byte stream
 * (`offset`), its command byte when known, and what was expected against what was found.
 */
export class ProtocolError extends HardwareError {
  constructor(
    override readonly code: ProtocolErrorCode,
    readonly offset: number,
    readonly command: number | undefined,
    readonly expected: string,
    readonly found: string,
  ) {
    const what = command === undefined ? 'frame' : `frame 0x${command.toString(16).padStart(2, '0')}`;
    super(code, `byte ${offset}`, `${what}: ${describe(code)}: expected ${expected}, found ${found}`);
    this.name = 'ProtocolError';
  }
}

function describe(code: ProtocolErrorCode): string {
  return PROTOCOL_ERROR_TEXT[code];
}

const PROTOCOL_ERROR_TEXT: Record<ProtocolErrorCode, string> = {
  FRAME_LENGTH: 'bad length',
  FRAME_PADDING: 'bad padding',
  FRAME_CRC: 'bad checksum',
  FRAME_TRUNCATED: 'truncated',
  FRAME_UNKNOWN_COMMAND: 'unknown command',
  FRAME_FIELD: 'bad field',
  FRAME_DIRECTION: 'wrong direction',
};

export const PROTOCOL_ERROR_CODES = Object.keys(PROTOCOL_ERROR_TEXT) as ProtocolErrorCode[];
