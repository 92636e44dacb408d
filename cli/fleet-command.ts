/** `medhjalparen fleet …`: the fleet's commands, each loaded only when it runs. */
import { excerpt } from '../src/input/index.js';
import { FLEET_COMMAND_USAGE } from './fleet-usage.js';

const SUBCOMMANDS = ['keys', 'serve', 'request'] as const;

export async function runFleetCommand(args: readonly string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'keys') return (await import('./fleet-keys-command.js')).runFleetKeysCommand(rest);
  if (sub === 'request') return (await import('./fleet-request-command.js')).runFleetRequest(rest);
  if (sub === 'serve') {
    const serve = await import('./fleet-serve-command.js');
    return serve.runFleetServe(serve.parseFleetServeArgs([...rest]));
  }
  process.stderr.write(
    `medhjalparen: fleet: expected one of ${SUBCOMMANDS.join(', ')}, got '${excerpt(sub ?? '')}'\nusage:\n${FLEET_COMMAND_USAGE}`,
  );
  return 2;
}
