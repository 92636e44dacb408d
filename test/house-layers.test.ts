/**
 * The house stays upright (issue 9): the lint rules refuse an import from a lower layer into a
 * higher one (the robot importing the simulator or the command line; the node graph importing the
 * domain), and the real tree passes them. Runs ESLint itself, with the project's config.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the import layers', () => {
  it('refuses sim/ and cli/ imports under src/ and behaviors/', async () => {
    const sim = "import { SimWorld } from '../../sim/world.js';\nexport const w = SimWorld;\n";
    expect(await importErrors('src/robot/leak.ts', sim)).toEqual([expect.stringMatching(/sim\/ sits above/)]);
    expect(await importErrors('behaviors/leak.ts', sim.replace('../../', '../'))).toHaveLength(1);
    const cli = "import { simulate } from '../../cli/simulate.js';\nexport const s = simulate;\n";
    expect(await importErrors('src/navigation/leak.ts', cli)).toEqual([
      expect.stringMatching(/cli\/ sits above/),
    ]);
  });

  it('refuses cli/ imports in the simulator, and any project import in the node graph', async () => {
    const cli = "import { simulate } from '../cli/simulate.js';\nexport const s = simulate;\n";
    expect(await importErrors('sim/leak.ts', cli)).toHaveLength(1);
    const domain =
      "import type { GuideStatus } from '../interfaces/index.js';\nexport type G = GuideStatus;\n";
    expect(await importErrors('src/ros/leak.ts', domain)).toEqual([
      expect.stringMatching(/node graph alone/),
    ]);
  });

  it('lets the command line use both the simulator and the robot', async () => {
    const ok =
      "import { simulate } from './simulate.js';\nimport { startRobot } from '../src/robot/index.js';\nimport { SimWorld } from '../sim/world.js';\nexport const all = [simulate, startRobot, SimWorld];\n";
    expect(await importErrors('cli/compose.ts', ok)).toEqual([]);
  });
});
