/**
 * Understanding on the simulated floor, with the robot's own directions book: a passport is
 * answered with the police and the way on to the metro in words, planned on the navigator's
 * costmap; a customer who walks alone hears the way to their desk. The words are checked against
 * the book built independently here (same site, same robot body).
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import { renderDirections, say } from '../src/interaction/index.js';
import type { Utterance } from '../src/interfaces/index.js';
import { loadSite } from '../src/map/index.js';
import { DEFAULT_ROBOT } from '../src/robot-description.js';
import { buildDirectionsBook } from '../src/robot/directions-book.js';
import { parseScenario } from './scenario.js';

const SCENARIO = parseScenario(
  `
name: directions in words
site: ../../maps/iso-omena
seed: 41
start_time: 2026-11-26T10:00:00+02:00
customers:
  - ask: 'I need a passport'
    expect: { outcome: elsewhere, destination: '', says: [elsewhere.way], choices: [metro] }
  - ask: 'Missä on Kela?'
    mode: directions
    plain: true
    expect: { outcome: directions, destination: kela, says: [directions] }
`,
  'sim/scenarios/directions-in-words.yaml',
);

describe('directions in words on the simulated floor', () => {
  it('sends a passport to the police with the way to the metro, and tells a walker the way to Kela', async () => {
    const said: Utterance[] = [];
    const report = await simulate(SCENARIO, {
      onStart: ({ graph }) => {
        graph
          .createNode('kiosk_screen')
          .createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) => said.push(u));
      },
    });
    expect(report.requests.flatMap((r) => r.expectation_failures)).toEqual([]);
    expect(report.ok).toBe(true);

    const site = await loadSite('maps/iso-omena');
    const book = buildDirectionsBook(site, { robot: DEFAULT_ROBOT });
    const passports = site.elsewhere.find((e) => e.way === 'metro' && /passport/i.test(e.where.en))!;
    const metro = site.destinations.find((d) => d.id === 'metro')!;
    const toMetro = renderDirections(book.get('metro')!, 'en', 'standard');
    expect(toMetro).not.toBe('');

    const police = said.find((u) => u.kind === 'elsewhere.way')!;
    expect(police).toMatchObject({ request_id: 'req-0', language: 'en', plain: false, choices: ['metro'] });
    expect(police.text).toBe(
      say('elsewhere.way', 'en', { where: passports.where.en, way: metro.name.en, directions: toMetro }),
    );

    const walk = said.find((u) => u.kind === 'directions')!;
    expect(walk).toMatchObject({ request_id: 'req-1', language: 'fi', plain: true, choices: [] });
    expect(walk.text).toContain(renderDirections(book.get('kela')!, 'fi', 'plain'));
    expect(walk.text.startsWith('Kohde on Kela.')).toBe(true);
  }, 60_000);
});
