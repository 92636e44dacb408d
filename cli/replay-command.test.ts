import { describe, expect, it } from 'vitest';
import { recordArgsFromFlags } from './record-option.js';
import { parseReplayArgs } from './replay-command.js';

describe('replay arguments', () => {
  it('takes one recording, paced at --rate times real time (default 1) or --fast', () => {
    expect(parseReplayArgs(['run.mcap'])).toEqual({ file: 'run.mcap', rate: 1, logLevel: 'warn' });
    expect(parseReplayArgs(['run.mcap', '--rate', '4'])).toMatchObject({ rate: 4 });
    expect(parseReplayArgs(['run.mcap', '--fast', '--site', 'maps/x'])).toMatchObject({
      rate: undefined,
      site: 'maps/x',
    });
  });

  it('says what is wrong with them', () => {
    expect(parseReplayArgs([])).toBe('replay needs exactly one recording, found 0');
    expect(parseReplayArgs(['a.mcap', 'b.mcap'])).toBe('replay needs exactly one recording, found 2');
    expect(parseReplayArgs(['a.mcap', '--rate', '2', '--fast'])).toBe('--rate and --fast do not go together');
    for (const bad of ['0', '-1', 'fast', 'Infinity', '1e9'])
      expect(parseReplayArgs(['a.mcap', `--rate=${bad}`])).toMatch(
        /^--rate: expected a number more than 0 and at most 10000/,
      );
    expect(parseReplayArgs(['a.mcap', '--site', ''])).toBe("--site: expected a site folder, got ''");
    expect(parseReplayArgs(['a.mcap', '--speed', '2'])).toMatch(/Unknown option '--speed'/);
  });
});

describe('--record and --record-images', () => {
  it('record only when asked, images only with --record', () => {
    expect(recordArgsFromFlags({})).toBeUndefined();
    expect(recordArgsFromFlags({ record: 'run.mcap' })).toEqual({ file: 'run.mcap', includeImages: false });
    expect(recordArgsFromFlags({ record: 'run.mcap', 'record-images': true })).toEqual({
      file: 'run.mcap',
      includeImages: true,
    });
    expect(recordArgsFromFlags({ 'record-images': true })).toBe('--record-images needs --record out.mcap');
    expect(recordArgsFromFlags({ record: ' ' })).toBe(
      "--record: expected a file name such as run.mcap, got ''",
    );
  });
});
