/**
 * Intel HEX → AVR program memory. avr8js executes from a Uint16Array of flash words; avr-objcopy
 * writes Intel HEX with data (00), end-of-file (01) and, for images past 64 KiB, extended segment
 * (02) or extended linear (04) address records. Start-address records (03, 05) carry no flash data.
 */
import { EmulatorError } from './errors.js';

/** ATmega328P flash: 32 KiB. */
export const ATMEGA328P_FLASH_BYTES = 32 * 1024;

export interface HexOptions {
  /** Names the input in error messages (a file path); default `<hex>`. */
  source?: string;
  /** Flash size in bytes; default the ATmega328P's 32 KiB. */
  flashBytes?: number;
}

/**
 * Parses Intel HEX text into program memory (little-endian words, erased flash reads 0xFFFF as on
 * the chip). Throws EmulatorError naming `source:line` for a malformed line, a bad checksum, an
 * unknown record, data outside the flash, or a missing end-of-file record.
 */
export function parseIntelHex(text: string, options: HexOptions = {}): Uint16Array {
  const source = options.source ?? '<hex>';
  const flashBytes = options.flashBytes ?? ATMEGA328P_FLASH_BYTES;
  const flash = new Uint8Array(flashBytes).fill(0xff);
  const lines = text.split(/\r?\n/);
  let base = 0;
  let sawEof = false;
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim();
    if (line === '') continue;
    const where = `${source}:${i + 1}`;
    if (sawEof) throw new EmulatorError('HEX_RECORD', where, 'expected nothing after the end-of-file record');
    const bytes = decodeRecord(line, where);
    const count = bytes[0] ?? 0;
    const offset = ((bytes[1] ?? 0) << 8) | (bytes[2] ?? 0);
    const type = bytes[3] ?? 0;
    const data = bytes.subarray(4, 4 + count);
    switch (type) {
      case 0x00: {
        const start = base + offset;
        if (start + count > flashBytes) {
          throw new EmulatorError(
            'HEX_RANGE',
            where,
            `data at 0x${start.toString(16)}..0x${(start + count - 1).toString(16)} lies outside the ` +
              `${flashBytes}-byte flash`,
          );
        }
        flash.set(data, start);
        break;
      }
      case 0x01:
        sawEof = true;
        break;
      case 0x02:
        base = requireAddressRecord(data, where) << 4;
        break;
      case 0x04:
        base = requireAddressRecord(data, where) << 16;
        break;
      case 0x03:
      case 0x05:
        break;
      default:
        throw new EmulatorError('HEX_RECORD', where, `expected record type 00..05, found 0x${hex2(type)}`);
    }
  }
  if (!sawEof) {
    throw new EmulatorError(
      'HEX_NO_EOF',
      `${source}:${lines.length}`,
      'expected an end-of-file record (:00000001FF)',
    );
  }
  return new Uint16Array(flash.buffer);
}

/** Decodes `:LLAAAATT<data>CC` into its bytes (count, address, type, data, checksum) after checking it. */
function decodeRecord(line: string, where: string): Uint8Array {
  if (line[0] !== ':')
    throw new EmulatorError('HEX_SYNTAX', where, `expected ':' to start the record, found '${line[0]}'`);
  const digits = line.slice(1);
  if (!/^[0-9a-fA-F]*$/.test(digits) || digits.length % 2 !== 0 || digits.length < 10) {
    throw new EmulatorError(
      'HEX_SYNTAX',
      where,
      'expected an even number (at least 10) of hex digits after the colon',
    );
  }
  const bytes = new Uint8Array(digits.length / 2);
  for (let j = 0; j < bytes.length; j++) bytes[j] = parseInt(digits.slice(2 * j, 2 * j + 2), 16);
  const count = bytes[0] ?? 0;
  if (bytes.length !== count + 5) {
    throw new EmulatorError(
      'HEX_SYNTAX',
      where,
      `expected ${count} data bytes as the length field says, found ${bytes.length - 5}`,
    );
  }
  let sum = 0;
  for (let j = 0; j < bytes.length - 1; j++) sum = (sum + (bytes[j] ?? 0)) & 0xff;
  const expected = (0x100 - sum) & 0xff;
  const found = bytes[bytes.length - 1] ?? 0;
  if (expected !== found) {
    throw new EmulatorError(
      'HEX_CHECKSUM',
      where,
      `checksum: expected 0x${hex2(expected)}, found 0x${hex2(found)}`,
    );
  }
  return bytes;
}

function requireAddressRecord(data: Uint8Array, where: string): number {
  if (data.length !== 2) {
    throw new EmulatorError(
      'HEX_RECORD',
      where,
      `expected 2 data bytes in an address record, found ${data.length}`,
    );
  }
  return ((data[0] ?? 0) << 8) | (data[1] ?? 0);
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
