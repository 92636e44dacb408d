/**
 * A request the simulator did not make (the web kiosk publishing on /guide/request) is served on
 * the simulated floor: a simulated customer steps up when the escort starts and follows the robot
 * there, and the scenario's own customers wait until it is over.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import type { GuideStatus } from '../src/interfaces/index.js';
import type { LiveEvent } from '../src/telemetry/index.js';
import { parseScenario } from './scenario.js';

const SCENARIO = parseScenario(
  `
name: kiosk request
site: ../../maps/iso-omena
seed: 5
start_time: 2026-11-26T10:00:00+02:00
customers:
  - { at: 1, ask: 'toilets', language: en, expect: { outcome: arrived, destination: toilets } }
`,
  'sim/scenarios/kiosk-request.yaml',
);

describe('a request from the kiosk on the simulated floor', () => {
  it('is escorted with a simulated customer following, and the scenario’s customers wait for it', async () => {
    const events: LiveEvent[] = [];
    const statuses: GuideStatus[] = [];
    const followed: boolean[] = [];
    const report = await simulate(
      SCENARIO,
      {
        onStart: ({ graph }) => {
          const kiosk = graph.createNode('web_kiosk');
          const requests = kiosk.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
          kiosk.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s) =>
            statuses.push(s),
          );
          kiosk.createSubscription('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer', (c) => {
            const state = statuses.at(-1);
            if (state?.request_id === 'kiosk-1' && state.state === 'escorting')
              followed.push(c.bound && c.visible);
          });
          // Someone at the kiosk asks before the scenario's first customer arrives.
          const once = kiosk.createTimer(300_000_000n, () => {
            once.cancel();
            requests.publish({
              request_id: 'kiosk-1',
              text: 'library',
              language: 'en',
              plain: false,
              mode: '',
            });
          });
        },
      },
      { onEvent: (e) => events.push(e) },
    );

    const kioskStates = statuses.filter((s) => s.request_id === 'kiosk-1').map((s) => s.state);
    expect(kioskStates).toContain('escorting');
    expect(kioskStates).toContain('arrived');
    expect(kioskStates).not.toContain('waiting_for_customer');
    // Perception saw the simulated customer behind the robot for most of the walk (they start in front).
    expect(followed.length).toBeGreaterThan(10);
    expect(followed.filter(Boolean).length / followed.length).toBeGreaterThan(0.5);

    const what = events.flatMap((e) => (e.kind === 'event' ? [e.what] : []));
    expect(what).toContain('kiosk request kiosk-1: a simulated customer follows the robot to library');
    expect(what).toContain('kiosk request kiosk-1: arrived at library');
    // Its text is a real person's words: not repeated as a request of the scenario's.
    expect(events.flatMap((e) => (e.kind === 'request' ? [e.text] : []))).toEqual(['toilets']);

    // The scenario's customer asked only once the kiosk customer had been served.
    const kioskDone = events.find(
      (e) => e.kind === 'event' && e.what === 'kiosk request kiosk-1: arrived at library',
    )!;
    const asked = events.find((e) => e.kind === 'request')!;
    expect(asked.t).toBeGreaterThanOrEqual(kioskDone.t);
    expect(report.requests.map((r) => [r.outcome, r.destination])).toEqual([['arrived', 'toilets']]);
    expect(report.ok).toBe(true);
  });
});
