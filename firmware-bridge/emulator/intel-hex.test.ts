import { describe, expect, it } from 'vitest';
import { parseIntelHex } from './intel-hex.js';

/** One record with its checksum: count, address, type, data. */
function record(address: number, type: number, data: number[]): string {
  const bytes = [data.length, address >> 8, address & 0xff, type, ...data];
  const sum = bytes.reduce((a, b) => (a + b) & 0xff, 0);
  return `:${[...bytes, (0x100 - sum) & 0xff]
    .map((b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase()}`;
}
const EOF_RECORD = ':00000001FF';

describe('parseIntelHex', () => {
  it('places data bytes as little-endian flash words and leaves the rest erased', () => {
    const flash = parseIntelHex(
      [record(0x0000, 0, [0x0c, 0x94, 0x34, 0x00]), record(0x0010, 0, [0xaa]), EOF_RECORD].join('\n'),
    );
    expect(flash.length).toBe(16 * 1024);
    expect(flash[0]).toBe(0x940c); // jmp
    expect(flash[1]).toBe(0x0034);
    expect(flash[8]).toBe(0xffaa); // low byte written, high byte erased
    expect(flash[2]).toBe(0xffff);
  });

  it('reads the checksum of a real avr-objcopy line and accepts CRLF line ends', () => {
    const flash = parseIntelHex(':100000000C9434000C9465000C94A3000C945500DF\r\n:00000001FF\r\n');
    expect(Array.from(flash.subarray(0, 8))).toEqual([
      0x940c, 0x0034, 0x940c, 0x0065, 0x940c, 0x00a3, 0x940c, 0x0055,
    ]);
  });

  it('applies extended linear and extended segment address records', () => {
    const text = [
      record(0, 4, [0x00, 0x00]),
      record(0, 2, [0x01, 0x00]),
      record(0x0002, 0, [0x11, 0x22]),
      EOF_RECORD,
    ];
    const flash = parseIntelHex(text.join('\n'));
    expect(flash[(0x1000 + 2) / 2]).toBe(0x2211); // segment 0x100 << 4 = 0x1000
  });

  it('names the file and line of a bad checksum, with expected and found', () => {
    const good = record(0, 0, [1, 2, 3]);
    const bad = `${good.slice(0, -2)}00`;
    const text = [record(0x10, 0, [9]), '', bad, EOF_RECORD].join('\n');
    expect(() => parseIntelHex(text, { source: 'build/drive.hex' })).toThrow(
      /^build\/drive\.hex:3: checksum: expected 0x[0-9a-f]{2}, found 0x00$/,
    );
  });

  it('rejects a length field that disagrees with the record, by line', () => {
    expect(() => parseIntelHex(':0500000001020304F0\n:00000001FF', { source: 'x.hex' })).toThrow(
      /x\.hex:1: expected 5 data bytes as the length field says, found 4/,
    );
  });

  it('rejects a line without the colon, unknown record types, data past the flash and a missing EOF', () => {
    expect(() => parseIntelHex('100000000C94\n')).toThrow(/<hex>:1: expected ':'/);
    expect(() => parseIntelHex(`${record(0, 7, [])}\n${EOF_RECORD}`)).toThrow(
      /record type 00\.\.05, found 0x07/,
    );
    expect(() => parseIntelHex(`${record(0x7fff, 0, [1, 2])}\n${EOF_RECORD}`)).toThrow(
      /outside the 32768-byte flash/,
    );
    expect(() => parseIntelHex(record(0, 0, [1]))).toThrow(/expected an end-of-file record/);
    expect(() => parseIntelHex(`${EOF_RECORD}\n${record(0, 0, [1])}`)).toThrow(
      /<hex>:2: expected nothing after/,
    );
  });
});
