/**
 * `medhjalparen fleet request`: a kiosk's request for an escort, from the command line (a kiosk
 * vendor's integration, or trying a fleet out): the customer waits at --meet, a robot comes and
 * takes them to --destination. Prints the task's id once the broker has stored it.
 */
import { parseArgs } from 'node:util';
import { connect } from 'nats';
import { fleetAuthenticator } from '../src/fleet/credentials.js';
import { requestEscort } from '../src/fleet/kiosk-client.js';
import { connectFailure, parseFleetUrl } from '../src/fleet/link.js';
import { DEFAULT_BROKER_LISTEN } from './fleet-usage.js';

const LANGUAGES = ['fi', 'sv', 'en', ''] as const;

export async function runFleetRequest(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      nats: { type: 'string', default: `nats://${DEFAULT_BROKER_LISTEN}` },
      key: { type: 'string' },
      site: { type: 'string' },
      destination: { type: 'string' },
      meet: { type: 'string' },
      language: { type: 'string', default: '' },
      plain: { type: 'boolean', default: false },
    },
  });
  const { site, destination, meet } = values;
  if (!site || !destination || !meet) throw new Error('fleet request: give --site, --destination and --meet');
  const language = LANGUAGES.find((l) => l === values.language);
  if (language === undefined)
    throw new Error(`--language: expected fi, sv or en, got '${values.language.slice(0, 20)}'`);
  const url = parseFleetUrl(values.nats, '--nats');
  const auth = values.key ? fleetAuthenticator(values.key) : undefined;
  const nc = await connect({
    servers: url,
    name: 'kiosk',
    reconnect: false,
    ...(auth ? { authenticator: auth.authenticator, inboxPrefix: auth.inboxPrefix } : {}),
  }).catch((e: unknown) => {
    throw new Error(`${url}: ${connectFailure(e)}`);
  });
  try {
    // The task's creation time is the kiosk's wall clock: it is a record, not a control input.
    const task = await requestEscort(
      nc,
      { site, destination, meet, language, plain: values.plain },
      Date.now(),
    );
    process.stdout.write(`${task.id}\n`);
    return 0;
  } finally {
    await nc.close();
  }
}
