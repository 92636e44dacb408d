// Property tests explore with a fixed seed, so a run is repeatable: the same suite gives the
// same verdict on every machine and every run (change the seed on purpose to explore further).
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

fc.configureGlobal({ seed: 20261126 });

// Commands under test that start the console (`run`) listen on a free port and keep their
// database in a scratch folder, so parallel test files never share port 8080 or ./data.
process.env['MEDHJALPAREN_LISTEN'] = '127.0.0.1:0';
const consoleData = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-test-data-'));
process.env['MEDHJALPAREN_DATA'] = consoleData;
afterAll(() => rmSync(consoleData, { recursive: true, force: true }));
