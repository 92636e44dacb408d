import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  InputError,
  LIMITS,
  parseBoundedYaml,
  yamlTokens,
  excerpt,
  readInputFile,
  readInputFileSync,
  resolveInside,
  showControls,
} from './index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'input-'));

describe('reading an input file', () => {
  it('reads a regular file within its limit, sync or not', async () => {
    const file = path.join(dir, 'site.yaml');
    writeFileSync(file, 'id: x\n');
    expect((await readInputFile(file, { limit: 'yamlFileBytes' })).toString()).toBe('id: x\n');
    expect(readInputFileSync(file, { limit: 'yamlFileBytes' }).toString()).toBe('id: x\n');
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'map.pgm');
    execFileSync('mkfifo', [fifo]);
    await expect(readInputFile(fifo, { limit: 'mapImageBytes', where: 'site.yaml:3' })).rejects.toThrow(
      /^site\.yaml:3: .*map\.pgm is not a regular file \(a device, FIFO or socket\); expected a regular file$/,
    );
    expect(() => readInputFileSync(fifo, { limit: 'mapImageBytes' })).toThrow(InputError);
  });

  it('refuses an endless device and a directory', async () => {
    await expect(readInputFile('/dev/zero', { limit: 'imageFileBytes' })).rejects.toThrow(
      /not a regular file/,
    );
    await expect(readInputFile(dir, { limit: 'imageFileBytes' })).rejects.toThrow(/is a directory/);
  });

  it('refuses a file over its limit before reading it, naming the limit', async () => {
    const big = path.join(dir, 'big.yaml');
    writeFileSync(big, Buffer.alloc(LIMITS.yamlFileBytes.value + 1, 0x61));
    await expect(readInputFile(big, { limit: 'yamlFileBytes' })).rejects.toThrow(
      new RegExp(
        `is ${LIMITS.yamlFileBytes.value + 1} bytes; the limit for a YAML file .* is ${LIMITS.yamlFileBytes.value} bytes`,
      ),
    );
  });

  it('says a missing file is missing', async () => {
    await expect(readInputFile(path.join(dir, 'nope.pgm'), { limit: 'mapImageBytes' })).rejects.toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    );
  });
});

describe('text from outside in messages', () => {
  it('shows control characters and escape sequences instead of letting a terminal obey them', () => {
    expect(showControls('Kela\u001b[2J\u0007\nok\tyes')).toBe('Kela\\x1b[2J\\x07\\nok\tyes');
    expect(showControls('Mödra- och barnrådgivning')).toBe('Mödra- och barnrådgivning');
  });

  it('quotes at most a short excerpt, marked when cut', () => {
    expect(excerpt('x'.repeat(2_300_000))).toBe(`${'x'.repeat(LIMITS.excerptChars.value - 1)}…`);
    expect(excerpt('short')).toBe('short');
  });
});

describe('paths inside a folder', () => {
  it('resolves a relative path inside the folder and refuses one that leaves it', () => {
    expect(resolveInside('/srv/site', 'map.yaml', 'site.yaml:3')).toBe(path.resolve('/srv/site/map.yaml'));
    expect(() => resolveInside('/srv/site', '../../../../etc/passwd', 'site.yaml:3')).toThrow(
      /^site\.yaml:3: '\.\.\/\.\.\/\.\.\/\.\.\/etc\/passwd' points outside \/srv\/site; expected a file inside it$/,
    );
    expect(() => resolveInside('/srv/site', '/etc/passwd', 'site.yaml:3')).toThrow(/points outside/);
    expect(() => resolveInside('/srv/site', '../site-other/map.yaml', 'x')).toThrow(/points outside/);
  });
});

describe('the size of a YAML text as its parser feels it', () => {
  it('counts the pieces a YAML file is split into, aliases and collections weighing more', () => {
    expect(yamlTokens('a: 1\n')).toBe(yamlTokens('b: 2\n'));
    expect(yamlTokens('a: [*x]\n') - yamlTokens('a: [y]\n')).toBe(2); // a plain scalar is two: its mark and its text
    expect(parseBoundedYaml('customers: [{ask: Kela}]\n', 'x.yaml')).toHaveProperty('doc');
  });

  it('refuses a small file that would take the parser hundreds of megabytes, before parsing it', () => {
    const bomb = `a: [${'{},'.repeat(100_000)}]`;
    expect(bomb.length).toBeLessThan(LIMITS.yamlFileBytes.value);
    expect(parseBoundedYaml(bomb, 'scenario.yaml')).toEqual({
      kind: 'limit',
      where: 'scenario.yaml',
      what: expect.stringMatching(
        /^more than 300000 tokens; the limit for the pieces a YAML file is split into .* is 300000 tokens \(yamlTokens, docs\/limits\.md\)$/,
      ),
    });
  });

  it('refuses deep nesting where it starts, before the recursive composer can overflow its stack', () => {
    expect(parseBoundedYaml(`a: 1\nb: ${'['.repeat(2_000)}${']'.repeat(2_000)}\n`, 'deep.yaml')).toEqual({
      kind: 'limit',
      where: 'deep.yaml:2',
      what: expect.stringMatching(/^nested deeper than 64 levels \(yamlDepth in docs\/limits\.md\)/),
    });
  });

  it('accepts one document only, and reports the first syntax error with a count of the rest', () => {
    expect(parseBoundedYaml('a: 1\n---\nb: 2\n', 'two.yaml')).toMatchObject({
      kind: 'syntax',
      where: 'two.yaml:2',
    });
    expect(parseBoundedYaml('a: "open\n', 'bad.yaml')).toMatchObject({
      kind: 'syntax',
      what: expect.stringMatching(/^YAML syntax: /),
    });
  });
});

describe('the limits table', () => {
  it('is documented in docs/limits.md, every limit with its value', () => {
    const doc = readFileSync('docs/limits.md', 'utf8');
    for (const [name, limit] of Object.entries(LIMITS)) {
      const row = doc.split('\n').find((l) => l.includes(`\`${name}\``));
      expect(row, `docs/limits.md has no row for ${name}`).toBeDefined();
      expect(row).toContain(limit.value.toLocaleString('en-US'));
    }
  });
});
