import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addIdentity, seedFile } from '../src/fleet/credentials.js';
import { parseFleetServeArgs, runFleetServe } from './fleet-serve-command.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-serve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fleet serve, as asked', () => {
  it("takes the roster's robots and the service's key from --keys, and --robot beside them", () => {
    const keys = path.join(dir, 'keys');
    addIdentity(keys, { kind: 'service' });
    addIdentity(keys, { kind: 'robot', id: 'r1', site: 'iso-omena' });
    addIdentity(keys, { kind: 'kiosk', id: 'entrance', site: 'iso-omena' });
    const args = parseFleetServeArgs(['--keys', keys, '--robot', 'r9@tapiola']);
    expect(args.robots).toEqual([
      { robot: 'r1', site: 'iso-omena' },
      { robot: 'r9', site: 'tapiola' },
    ]);
    expect(args.keyFile).toBe(seedFile(keys, 'fleet'));
    expect(args.nats).toBe('nats://127.0.0.1:4222');
  });

  it('says which flag is wrong', () => {
    expect(() => parseFleetServeArgs([])).toThrow(/no robots: give --keys DIR .* or --robot ID@SITE/);
    expect(() => parseFleetServeArgs(['--robot', 'r1'])).toThrow(/--robot: expected ID@SITE/);
    expect(() => parseFleetServeArgs(['--robot', 'R1@x'])).toThrow(/--robot: 'R1' is not a fleet id/);
    expect(() => parseFleetServeArgs(['--robot', 'r1@x', '--nats', 'nats://u:p@h:1'])).toThrow(
      /--nats: expected nats:\/\/HOST:PORT .*never in the URL/,
    );
    expect(() => parseFleetServeArgs(['--robot', 'r1@x', '--duration', 'Infinity'])).toThrow(/--duration/);
  });

  it('refuses a robot on a site it was not given, before connecting to anything', async () => {
    const args = parseFleetServeArgs(['--robot', 'r1@tapiola', '--site', 'maps/iso-omena', '--data', dir]);
    await expect(runFleetServe(args)).rejects.toThrow(
      "--robot r1@tapiola: no --site with id 'tapiola' (loaded: iso-omena)",
    );
  });
});
