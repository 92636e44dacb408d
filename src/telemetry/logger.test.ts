import { describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock } from '../ros/index.js';
import { createLogger, nodeLogger, type LoggerOptions } from './logger.js';

/** Collects the JSON lines a logger writes. */
function capture(options: Omit<LoggerOptions, 'destination'> = {}) {
  const lines: string[] = [];
  const root = createLogger({ ...options, destination: { write: (line: string) => void lines.push(line) } });
  const records = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return { root, lines, records };
}

describe('createLogger / nodeLogger', () => {
  it('writes one JSON line per call with level, node, message and fields', () => {
    const { root, lines, records } = capture();
    nodeLogger(root, 'safety_gate').warn('stopped', { reason: 'scan_stale', source: 'nav' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    const [rec] = records();
    expect(rec).toMatchObject({
      level: 40,
      node: 'safety_gate',
      msg: 'stopped',
      reason: 'scan_stale',
      source: 'nav',
    });
    expect(rec).not.toHaveProperty('pid');
    expect(rec).not.toHaveProperty('hostname');
  });

  it('filters by level: info by default, debug when asked, nothing when silent', () => {
    const info = capture();
    const log = nodeLogger(info.root, 'n');
    log.debug('hidden');
    log.info('shown');
    log.error('shown too');
    expect(info.records().map((r) => r.msg)).toEqual(['shown', 'shown too']);

    const debug = capture({ level: 'debug' });
    nodeLogger(debug.root, 'n').debug('now visible');
    expect(debug.records().map((r) => [r.level, r.msg])).toEqual([[20, 'now visible']]);

    const warn = capture({ level: 'warn' });
    nodeLogger(warn.root, 'n').info('dropped');
    nodeLogger(warn.root, 'n').warn('kept');
    expect(warn.records().map((r) => r.msg)).toEqual(['kept']);

    const silent = capture({ level: 'silent' });
    nodeLogger(silent.root, 'n').error('nothing');
    expect(silent.lines).toEqual([]);
  });

  it('removes customer text and images at any of the first levels, keeping everything else', () => {
    const { root, lines, records } = capture();
    const log = nodeLogger(root, 'mission');
    log.info('request', {
      request_id: 'r-7',
      text: 'Missä on sosiaalitoimisto?',
      customer_text: 'Jag vill till biblioteket',
      utterance: { language: 'fi', text: 'Seuraa minua' },
      image: 'base64...',
      frame: new Uint8Array([1, 2, 3]),
      request: { text: 'nested once', language: 'fi', image: 'jpeg' },
      message: { goal: { text: 'nested twice', destination_id: 'kela' } },
      batch: [{ text: 'in an array', kind: 'escort.start' }],
    });
    const [rec] = records();
    expect(rec).toEqual({
      level: 30,
      time: expect.any(Number),
      node: 'mission',
      request_id: 'r-7',
      request: { language: 'fi' },
      message: { goal: { destination_id: 'kela' } },
      batch: [{ kind: 'escort.start' }],
      msg: 'request',
    });
    for (const secret of [
      'sosiaalitoimisto',
      'biblioteket',
      'Seuraa',
      'nested',
      'in an array',
      'base64',
      'jpeg',
    ]) {
      expect(lines[0]).not.toContain(secret);
    }
  });

  it('removes the fields from objects nested three deep', () => {
    const { root, lines, records } = capture();
    nodeLogger(root, 'kiosk').info('deep', { a: { b: { text: 'secret', keep: 1 } } });
    expect(records()[0]).toMatchObject({ a: { b: { keep: 1 } } });
    expect(lines[0]).not.toContain('secret');
  });

  it('stamps lines with the sim clock when given one', () => {
    const clock = new SimClock(1_700_000_000_123_456_789n);
    const { root, records } = capture({ clock });
    nodeLogger(root, 'sim').info('tick');
    clock.advanceTo(1_700_000_001_000_000_000n);
    nodeLogger(root, 'sim').info('tick');
    expect(records().map((r) => r.time)).toEqual([1_700_000_000_123, 1_700_000_001_000]);
  });

  it('plugs into the embedded graph as the per-node logger', () => {
    const { root, records } = capture({ base: { run: 'test' } });
    const ctx = new EmbeddedContext({ clock: new SimClock(), logger: (name) => nodeLogger(root, name) });
    ctx.createNode('navigator').getLogger().info('goal accepted', { goal_id: 'g1' });
    expect(records()[0]).toMatchObject({
      run: 'test',
      node: 'navigator',
      msg: 'goal accepted',
      goal_id: 'g1',
    });
  });
});
