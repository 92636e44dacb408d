import { describe, expect, it } from 'vitest';
import {
  LidarError,
  RequestParser,
  decodeResponse,
  encodeDescriptor,
  encodeRequest,
  encodeResponse,
  hexText,
  modelName,
  scanNode,
  xorChecksum,
  type Request,
  type Response,
} from './index.js';

/** Bytes from a hex listing; spaces and line breaks are for the reader. */
const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const hex = (b: ArrayLike<number>): string => hexText(b);

describe('RPLIDAR requests', () => {
  it.each<[Request, string]>([
    [{ kind: 'stop' }, 'A5 25'],
    [{ kind: 'reset' }, 'A5 40'],
    [{ kind: 'scan' }, 'A5 20'],
    [{ kind: 'force_scan' }, 'A5 21'],
    [{ kind: 'get_info' }, 'A5 50'],
    [{ kind: 'get_health' }, 'A5 52'],
    [{ kind: 'get_samplerate' }, 'A5 59'],
  ])('encodes %o without payload as sync and command only', (request, wire) => {
    expect(hex(encodeRequest(request))).toBe(wire);
  });

  it('encodes SET_MOTOR_PWM with its size, little-endian duty and XOR checksum over every byte before it', () => {
    expect(hex(encodeRequest({ kind: 'set_motor_pwm', pwm: 660 }))).toBe(
      hex(
        bytes(
          'A5' + // sync
            'F0' + // SET_MOTOR_PWM
            '02' + // payload size
            '94 02' + // pwm 660 = 0x0294, little-endian
            'C1', // A5 ^ F0 ^ 02 ^ 94 ^ 02
        ),
      ),
    );
    expect(hex(encodeRequest({ kind: 'set_motor_pwm', pwm: 0 }))).toBe('A5 F0 02 00 00 57'); // motor off
    expect(xorChecksum([0xa5, 0xf0, 0x02, 0x94, 0x02])).toBe(0xc1);
  });

  it('refuses a motor duty above 1023, naming the field', () => {
    expect(() => encodeRequest({ kind: 'set_motor_pwm', pwm: 1024 })).toThrow(
      new LidarError('FIELD_RANGE', 'set_motor_pwm.pwm', 'expected 0…1023, found 1024'),
    );
    expect(() => encodeRequest({ kind: 'set_motor_pwm', pwm: -1 })).toThrow(
      /set_motor_pwm\.pwm: expected an integer 0…65535, found -1/,
    );
  });

  it('parses requests on the device side and ignores what the device would ignore', () => {
    const parser = new RequestParser();
    parser.push(
      bytes(
        '00' + // noise before a request: ignored
          'A5 52' + // GET_HEALTH
          'A5 F0 02 94 02 C1' + // SET_MOTOR_PWM 660
          'A5 F0 02 94 02 C0' + // the same with a wrong checksum: ignored
          'A5 77' + // unknown command: ignored
          'A5 25', // STOP
      ),
    );
    const out = [];
    for (let p = parser.next(); p; p = parser.next()) out.push(p);
    expect(out).toEqual([
      { kind: 'ignored', offset: 0, length: 1, why: 'expected A5, found 00' },
      { kind: 'request', request: { kind: 'get_health' }, offset: 1 },
      { kind: 'request', request: { kind: 'set_motor_pwm', pwm: 660 }, offset: 3 },
      { kind: 'ignored', offset: 9, length: 6, why: 'checksum C0, expected C1' },
      { kind: 'ignored', offset: 15, length: 2, why: 'unknown command 77' },
      { kind: 'request', request: { kind: 'stop' }, offset: 17 },
    ]);
  });
});

describe('RPLIDAR response descriptors', () => {
  it('derives each descriptor from its answer layout: A5 5A, 30-bit length, 2-bit send mode, data type', () => {
    expect(hex(encodeDescriptor('info'))).toBe('A5 5A 14 00 00 00 04'); // 20 bytes, single, 0x04
    expect(hex(encodeDescriptor('health'))).toBe('A5 5A 03 00 00 00 06'); // 3 bytes, single, 0x06
    expect(hex(encodeDescriptor('samplerate'))).toBe('A5 5A 04 00 00 00 15'); // 4 bytes, single, 0x15
    expect(hex(encodeDescriptor('scan_node'))).toBe(
      hex(
        bytes(
          'A5 5A' + // sync
            '05 00 00 40' + // length 5 | send mode 1 (multiple) << 30, little-endian
            '81', // data type: standard scan node
        ),
      ),
    );
  });
});

describe('RPLIDAR answers', () => {
  const info: Response = {
    kind: 'info',
    model: 0x18,
    firmwareMajor: 1,
    firmwareMinor: 29,
    hardware: 7,
    serialNumber: '8AB2E0F8C5E59AD4C0E69EF76D533419',
  };
  const infoWire = bytes(
    '18' + // model: A1 (major 1) M8 (sub 8)
      '1D' + // firmware minor 29
      '01' + // firmware major 1
      '07' + // hardware 7
      '8A B2 E0 F8 C5 E5 9A D4 C0 E6 9E F7 6D 53 34 19', // serial number, 16 bytes as sent
  );

  it('encodes and decodes GET_INFO: model, firmware minor then major, hardware, 16-byte serial', () => {
    expect(hex(encodeResponse(info))).toBe(hex(infoWire));
    expect(decodeResponse('info', infoWire)).toEqual({ response: info });
    expect(modelName(0x18)).toBe('A1M8');
    expect(modelName(0x61)).toBe('model 0x61');
  });

  it('encodes and decodes GET_HEALTH: status byte, little-endian error code', () => {
    const wire = bytes(
      '02' + // status 2: error
        '01 80', // error code 0x8001
    );
    const health: Response = { kind: 'health', status: 'error', errorCode: 0x8001 };
    expect(hex(encodeResponse(health))).toBe(hex(wire));
    expect(decodeResponse('health', wire)).toEqual({ response: health });
    expect(decodeResponse('health', bytes('00 00 00'))).toEqual({
      response: { kind: 'health', status: 'good', errorCode: 0 },
    });
  });

  it('refuses a health status above 2 as a bad field', () => {
    expect(decodeResponse('health', bytes('03 00 00'))).toEqual({
      problem: { field: 'status', expected: '0…2 (good, warning, error)', found: '3' },
    });
  });

  it('encodes and decodes GET_SAMPLERATE: µs per standard and per express sample', () => {
    const wire = bytes(
      'F4 01' + // standard: 500 µs (2000 samples/s)
        'FA 00', // express: 250 µs
    );
    const rate: Response = { kind: 'samplerate', standardUs: 500, expressUs: 250 };
    expect(hex(encodeResponse(rate))).toBe(hex(wire));
    expect(decodeResponse('samplerate', wire)).toEqual({ response: rate });
  });

  it('packs a scan node: quality<<2 | !S<<1 | S, angle_q6<<1 | C, distance_q2 little-endian', () => {
    const start = scanNode(90, 1000, 15, true);
    expect(start).toEqual({ kind: 'scan_node', start: true, quality: 15, angleQ6: 5760, distanceQ2: 4000 });
    const wire = bytes(
      '3D' + // quality 15 << 2 | !S 0 << 1 | S 1
        '01 2D' + // angle_q6 5760 (90° × 64) << 1 | C 1 = 0x2D01, little-endian
        'A0 0F', // distance_q2 4000 (1000 mm × 4)
    );
    expect(hex(encodeResponse(start))).toBe(hex(wire));
    expect(decodeResponse('scan_node', wire)).toEqual({ response: start });

    const next = bytes(
      '3E' + // quality 15 << 2 | !S 1 << 1 | S 0
        '41 00' + // angle_q6 32 (0.5°) << 1 | C 1
        '00 00', // distance 0: no return
    );
    expect(decodeResponse('scan_node', next)).toEqual({
      response: { kind: 'scan_node', start: false, quality: 15, angleQ6: 32, distanceQ2: 0 },
    });
  });

  it('refuses a scan node whose S and !S agree, or whose check bit is clear', () => {
    expect(decodeResponse('scan_node', bytes('3F 01 2D A0 0F'))).toEqual({
      problem: { field: 'start', expected: 'S ≠ !S', found: 'S=1 !S=1' },
    });
    expect(decodeResponse('scan_node', bytes('3D 00 2D A0 0F'))).toEqual({
      problem: { field: 'check', expected: '1', found: '0' },
    });
  });

  it('rounds a measured node to the wire: angle wrapped into [0, 360), distance clamped to 16 bits', () => {
    expect(scanNode(-0.25, 12.3, 15)).toMatchObject({ angleQ6: 23024, distanceQ2: 49 }); // 359.75°, 12.25 mm
    expect(scanNode(360, 20_000, 99)).toMatchObject({ angleQ6: 0, distanceQ2: 0xffff, quality: 63 });
  });

  it('refuses a serial number that is not 32 hex digits', () => {
    expect(() => encodeResponse({ ...info, serialNumber: 'xyz' } as Response)).toThrow(
      /info\.serial_number: expected 32 hex digits, found 'xyz'/,
    );
  });
});
