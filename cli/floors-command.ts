/**
 * `sim floors --out DIR [--count N] [--seed S]`: writes N generated service-centre floors (site
 * folders, docs/site-format.md) under DIR, each checked as `map check` checks a site, so a floor
 * that does not pass is never handed to a sweep.
 */
import { mkdir } from 'node:fs/promises';
import { showControls } from '../src/input/index.js';
import { checkSite, formatIssues } from '../src/map/index.js';
import { writeFloors } from '../sim/floors/generate.js';

export interface FloorsOptions {
  out: string;
  count: number;
  seed: number;
}

const out = (text: string) => process.stdout.write(text);

export async function runFloorsCommand(options: FloorsOptions): Promise<number> {
  await mkdir(options.out, { recursive: true });
  const dirs = await writeFloors(options.out, options.count, options.seed);
  let bad = 0;
  for (const dir of dirs) {
    const issues = await checkSite(dir);
    if (issues.some((i) => i.severity === 'error')) {
      bad++;
      out(`${showControls(dir)}: does not pass map check:\n${formatIssues(issues)}\n`);
    } else out(`${showControls(dir)}${issues.length > 0 ? `\n${formatIssues(issues)}` : ''}\n`);
  }
  out(`${dirs.length - bad} of ${dirs.length} floors written (seed ${options.seed})\n`);
  return bad === 0 ? 0 : 1;
}
