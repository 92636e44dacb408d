import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RplidarDecoder, encodeDescriptor, encodeResponse, type Decoded } from './index.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

function drain(d: RplidarDecoder): Decoded[] {
  const out: Decoded[] = [];
  for (let item = d.next(); item; item = d.next()) out.push(item);
  return out;
}

/** Items as short strings: `descriptor scan_node @0`, `node 90° 1000mm S @7`, `NODE_SYNC @12+5`. */
function summary(items: Decoded[]): string[] {
  return items.map((i) => {
    if (i.kind === 'descriptor') return `descriptor ${i.answer} @${i.offset}`;
    if (i.kind === 'rejected') return `${i.rejection.code} @${i.rejection.offset}+${i.rejection.length}`;
    const r = i.response;
    if (r.kind === 'scan_node')
      return `node ${r.angleQ6 / 64}° ${r.distanceQ2 / 4}mm${r.start ? ' S' : ''} @${i.offset}`;
    return `${r.kind} @${i.offset}`;
  });
}

const SCAN_DESCRIPTOR = bytes(
  'A5 5A' + // sync
    '05 00 00 40' + // 5 bytes per node, multiple answers
    '81', // standard scan
);
const NODE_90 = bytes(
  '3D' + // quality 15, !S 0, S 1
    '01 2D' + // 90° << 1 | C
    'A0 0F', // 1000 mm
);
const NODE_HALF = bytes(
  '3E' + // quality 15, !S 1, S 0
    '41 00' + // 0.5° << 1 | C
    '00 00', // no return
);

describe('RplidarDecoder', () => {
  it('reads a GET_INFO answer after its descriptor', () => {
    const d = new RplidarDecoder();
    d.push(
      bytes(
        'A5 5A 14 00 00 00 04' + // descriptor: 20 bytes, single, info
          '18 1D 01 07' + // A1M8, firmware 1.29, hardware 7
          '00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF', // serial number
      ),
    );
    expect(drain(d)).toEqual([
      { kind: 'descriptor', answer: 'info', offset: 0 },
      {
        kind: 'response',
        offset: 7,
        response: {
          kind: 'info',
          model: 0x18,
          firmwareMajor: 1,
          firmwareMinor: 29,
          hardware: 7,
          serialNumber: '00112233445566778899AABBCCDDEEFF',
        },
      },
    ]);
  });

  it('reads scan nodes one after another until the next descriptor ends the scan', () => {
    const d = new RplidarDecoder();
    d.push(concat(SCAN_DESCRIPTOR, NODE_90, NODE_HALF, bytes('A5 5A 03 00 00 00 06' + '00 00 00')));
    expect(summary(drain(d))).toEqual([
      'descriptor scan_node @0',
      'node 90° 1000mm S @7',
      'node 0.5° 0mm @12',
      'descriptor health @17', // A5 5A cannot start a node (0x5A's check bit is clear)
      'health @24',
    ]);
  });

  it('drops a run of zero bytes in a scan as one NODE_SYNC rejection at its offset, and the next node decodes', () => {
    const d = new RplidarDecoder();
    d.push(concat(SCAN_DESCRIPTOR, NODE_90, bytes('00 00 00 00 00'), NODE_HALF));
    const items = drain(d);
    expect(summary(items)).toEqual([
      'descriptor scan_node @0',
      'node 90° 1000mm S @7',
      'NODE_SYNC @12+5',
      'node 0.5° 0mm @17',
    ]);
    const rejected = items[2]!;
    expect(rejected.kind === 'rejected' && rejected.rejection.message).toBe(
      'bytes 12–16: scan node with bad start flags: expected a scan node with S ≠ !S, found 5 bytes 00 00 00 00 00',
    );
    expect(d.stats()).toMatchObject({ nodes: 2, rejections: 1, rejectedBytes: 5 });
  });

  it('slides byte by byte over a node with its check bit clear until the stream lines up again', () => {
    const d = new RplidarDecoder();
    d.push(
      concat(
        SCAN_DESCRIPTOR,
        NODE_90,
        bytes(
          '3D' + // byte 12: S/!S fine …
            '00' + // byte 13: … but C = 0: 3D goes; 00 has S = !S = 0
            '2D' + // byte 14: S/!S fine, but the next byte has C = 0
            'A0 0F', // bytes 15–16: S = !S
        ),
        NODE_HALF,
      ),
    );
    expect(summary(drain(d))).toEqual([
      'descriptor scan_node @0',
      'node 90° 1000mm S @7',
      'NODE_CHECK @12+1',
      'NODE_SYNC @13+1',
      'NODE_CHECK @14+1',
      'NODE_SYNC @15+2',
      'node 0.5° 0mm @17',
    ]);
  });

  it('rejects a node cut short by silence as TRUNCATED at its first byte, and the scan goes on', () => {
    const d = new RplidarDecoder();
    d.push(concat(SCAN_DESCRIPTOR, NODE_90, NODE_HALF.subarray(0, 3)));
    expect(d.pending).toBe(3);
    d.flush('silence');
    d.push(NODE_90);
    const items = drain(d);
    expect(summary(items)).toEqual([
      'descriptor scan_node @0',
      'node 90° 1000mm S @7',
      'TRUNCATED @12+3',
      'node 90° 1000mm S @15',
    ]);
    const cut = items[2]!;
    expect(cut.kind === 'rejected' && cut.rejection.message).toBe(
      'bytes 12–14: packet cut short: expected a 5-byte scan_node, found 3 bytes (3E 41 00), then silence',
    );
  });

  it('rejects an answer cut short by the end of the stream, and then expects a descriptor', () => {
    const d = new RplidarDecoder();
    d.push(bytes('A5 5A 14 00 00 00 04' + '18 1D 01')); // info descriptor, 3 of 20 bytes
    d.flush('end of stream');
    d.push(NODE_90);
    d.flush('silence');
    expect(summary(drain(d))).toEqual(['descriptor info @0', 'TRUNCATED @7+3', 'GARBAGE @10+5']);
    expect(d.expecting).toBe('descriptor');
  });

  it('passes over another protocol as GARBAGE with its offset and first bytes, then finds the descriptor', () => {
    const firmata = bytes('F0 79 02 05 4D 00 65 00 64 00 F7'); // REPORT_FIRMWARE from a Firmata board
    const d = new RplidarDecoder();
    d.push(
      concat(
        firmata,
        encodeDescriptor('health'),
        encodeResponse({ kind: 'health', status: 'good', errorCode: 0 }),
      ),
    );
    const items = drain(d);
    expect(summary(items)).toEqual(['GARBAGE @0+11', 'descriptor health @11', 'health @18']);
    const garbage = items[0]!;
    expect(garbage.kind === 'rejected' && garbage.rejection.message).toBe(
      'bytes 0–10: not an RPLIDAR packet: expected a response descriptor A5 5A, found 11 bytes F0 79 02 05 4D 00 65 00 …',
    );
  });

  it('reports an endless stream of noise in runs of at most 64 bytes, counting every byte', () => {
    const d = new RplidarDecoder();
    d.push(new Uint8Array(200).fill(0x30));
    d.flush('silence');
    expect(summary(drain(d))).toEqual([
      'GARBAGE @0+64',
      'GARBAGE @64+64',
      'GARBAGE @128+64',
      'GARBAGE @192+8',
    ]);
    expect(d.stats()).toMatchObject({
      rejectedBytes: 200,
      rejections: 4,
      rejectedBytesByCode: { GARBAGE: 200 },
    });
  });

  it('refuses a descriptor it cannot read (express scan) and treats what follows as garbage', () => {
    const d = new RplidarDecoder();
    d.push(
      bytes(
        'A5 5A' + // sync
          '54 00 00 40' + // 84-byte capsules, multiple
          '82' + // express scan: not read by this driver
          'A5 0F', // capsule bytes
      ),
    );
    d.flush('silence');
    const items = drain(d);
    expect(summary(items)).toEqual(['DESCRIPTOR_UNKNOWN @0+7', 'GARBAGE @7+2']);
    const unknown = items[0]!;
    expect(unknown.kind === 'rejected' && unknown.rejection.found).toBe(
      'data type 0x82, 84 bytes, send mode 1',
    );
  });

  it('refuses a whole answer with a field out of range (health status 3)', () => {
    const d = new RplidarDecoder();
    d.push(bytes('A5 5A 03 00 00 00 06' + '03 00 00'));
    expect(summary(drain(d))).toEqual(['descriptor health @0', 'RESPONSE_FIELD @7+3']);
  });

  it('keeps true stream offsets across skipped bytes (a boot banner)', () => {
    const d = new RplidarDecoder();
    d.skip(40);
    d.push(concat(SCAN_DESCRIPTOR, NODE_90));
    expect(summary(drain(d))).toEqual(['descriptor scan_node @40', 'node 90° 1000mm S @47']);
    expect(d.stats()).toMatchObject({ bytes: 52, skippedBytes: 40, rejectedBytes: 0 });
  });

  // Streams of real packets with noise between them, cut into arbitrary chunks.
  const packet = fc.oneof(
    fc.constant(SCAN_DESCRIPTOR),
    fc.constant(encodeDescriptor('health')),
    fc
      .tuple(fc.integer({ min: 0, max: 23039 }), fc.integer({ min: 0, max: 0xffff }), fc.boolean())
      .map(([q6, q2, s]) =>
        encodeResponse({ kind: 'scan_node', start: s, quality: 15, angleQ6: q6, distanceQ2: q2 }),
      ),
    fc.uint8Array({ minLength: 1, maxLength: 12 }),
  );
  const stream = fc.array(packet, { maxLength: 40 }).map((parts) => concat(...parts));

  it('never throws, and gives the same items whether fed whole or byte by byte', () => {
    fc.assert(
      fc.property(stream, (s) => {
        const whole = new RplidarDecoder();
        whole.push(s);
        whole.flush('end of stream');
        const single = new RplidarDecoder();
        for (const b of s) single.push([b]);
        single.flush('end of stream');
        expect(drain(single)).toEqual(drain(whole));
        const stats = whole.stats();
        // Every byte is accounted for: in a packet, or rejected.
        expect(stats.descriptors * 7 + stats.nodes * 5 + stats.responses * 3 + stats.rejectedBytes).toBe(
          s.length,
        );
      }),
    );
  });
});
