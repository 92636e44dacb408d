import { runMapCheck } from '../src/map/index.js';

export async function runMapCheckCommand(dir: string): Promise<number> {
  return runMapCheck(dir, (line) => process.stdout.write(`${line}\n`));
}
