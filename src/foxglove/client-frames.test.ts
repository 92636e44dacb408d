import { describe, expect, it } from 'vitest';
import { MAX_LIST, readFrame } from './client-frames.js';

const text = (s: string) => readFrame(Buffer.from(s, 'utf8'), false);
const json = (v: unknown) => text(JSON.stringify(v));
const binary = (bytes: number[]) => readFrame(Buffer.from(bytes), true);

describe('a client frame', () => {
  it('reads the requests of the protocol the bridge serves', () => {
    expect(json({ op: 'subscribe', subscriptions: [{ id: 0, channelId: 3 }] })).toEqual({
      ok: true,
      request: { op: 'subscribe', subscriptions: [{ id: 0, channelId: 3 }] },
    });
    expect(json({ op: 'unsubscribe', subscriptionIds: [0, 7] })).toMatchObject({
      ok: true,
      request: { op: 'unsubscribe', subscriptionIds: [0, 7] },
    });
    const adv = { id: 1, topic: '/cmd_vel', encoding: 'cdr', schemaName: 'geometry_msgs/Twist' };
    expect(json({ op: 'advertise', channels: [adv] })).toEqual({
      ok: true,
      request: { op: 'advertise', channels: [adv] },
    });
    const published = binary([1, 7, 0, 0, 0, 0xaa, 0xbb]);
    expect(published.ok && published.request).toMatchObject({ op: 'publish', channelId: 7 });
    expect(published.ok && published.request.op === 'publish' && [...published.request.data]).toEqual([
      0xaa, 0xbb,
    ]);
  });

  it('names what is wrong with garbage, and where', () => {
    expect(text('{"op": "subscribe", ')).toEqual({ ok: false, problem: 'frame@20: not valid JSON' });
    expect(text('hello')).toEqual({ ok: false, problem: 'frame@0: not valid JSON' });
    expect(json([1, 2])).toEqual({ ok: false, problem: 'frame: expected a JSON object with an "op"' });
    expect(json({ op: 'dance' })).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/^frame\.op: expected subscribe, .*found "dance"$/),
    });
    expect(json({ op: 'subscribe', subscriptions: {} })).toMatchObject({
      problem: 'frame.subscriptions: expected a list, found object',
    });
    expect(
      json({
        op: 'subscribe',
        subscriptions: [
          { id: 0, channelId: 1 },
          { id: -1, channelId: 1 },
        ],
      }),
    ).toMatchObject({
      problem: 'frame.subscriptions[1].id: expected a whole number 0…4294967295, found -1',
    });
    expect(json({ op: 'subscribe', subscriptions: [{ id: 0, channelId: 1.5 }] })).toMatchObject({
      problem: expect.stringMatching(/^frame\.subscriptions\[0\]\.channelId: .*found 1\.5$/),
    });
    expect(json({ op: 'unsubscribe', subscriptionIds: [1, 'x'] })).toMatchObject({
      problem: expect.stringMatching(/^frame\.subscriptionIds\[1\]: .*found "x"$/),
    });
    expect(
      json({ op: 'advertise', channels: [{ id: 1, topic: '', encoding: 'cdr', schemaName: 'x' }] }),
    ).toMatchObject({
      problem: expect.stringMatching(
        /^frame\.channels\[0\]\.topic: expected a name of 1…256 characters, found ""$/,
      ),
    });
  });

  it('refuses binary frames with an unknown opcode or too short for their header', () => {
    expect(binary([])).toEqual({
      ok: false,
      problem: 'frame: an empty binary frame (expected an opcode byte)',
    });
    expect(binary([9, 0, 0])).toEqual({
      ok: false,
      problem: 'frame[0]: unknown binary opcode 9 (expected 1, message data)',
    });
    expect(binary([1, 2, 0])).toEqual({
      ok: false,
      problem: 'frame: message data of 3 bytes (expected at least 5: opcode, channel id)',
    });
  });

  it('caps how much one frame may ask for', () => {
    const many = Array.from({ length: MAX_LIST + 1 }, (_, i) => ({ id: i, channelId: 1 }));
    expect(json({ op: 'subscribe', subscriptions: many })).toEqual({
      ok: false,
      problem: `frame.subscriptions: ${MAX_LIST + 1} entries (at most ${MAX_LIST} in one frame)`,
    });
  });

  it('tells requests of capabilities it does not offer from unknown ones', () => {
    expect(json({ op: 'getParameters', parameterNames: [] })).toEqual({
      ok: true,
      request: { op: 'unoffered', what: 'getParameters' },
    });
    expect(binary([2, 0, 0, 0, 0])).toEqual({
      ok: true,
      request: { op: 'unoffered', what: 'service calls' },
    });
  });

  it('never echoes more than a short excerpt of what a client sent', () => {
    const read = json({ op: 'x'.repeat(10_000) });
    expect(read.ok).toBe(false);
    expect(!read.ok && read.problem.length).toBeLessThan(200);
  });
});
