/**
 * Privacy by design: what a customer says reaches the mission, never the logs. A whole escort
 * runs with every node logging at debug level into memory, and no log line may contain the
 * customer's words.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../cli/simulate.js';
import { parseScenario } from '../sim/scenario.js';

describe('logs and customer text', () => {
  it('keeps what the customer said out of every log line, even at debug level', async () => {
    const said = 'Missä on Kela? Olen Maija Meikäläinen, hetu 010170-123A';
    const scenario = parseScenario(
      `site: ../maps/iso-omena\nseed: 4\ncustomers:\n  - ask: "${said}"\n    expect: { outcome: arrived, destination: kela }\n`,
      'test/privacy.yaml',
    );
    const lines: string[] = [];
    const report = await simulate(scenario, {
      log: { level: 'debug', destination: { write: (line: string) => void lines.push(line) } },
    });
    expect(report.requests[0]!.outcome).toBe('arrived');
    expect(lines.length).toBeGreaterThan(10);
    const all = lines.join('');
    for (const fragment of ['Maija', 'Meikäläinen', '010170', 'Missä on Kela'])
      expect(all).not.toContain(fragment);
    // The lines are structured and stamped with simulated time (the scenario's calendar).
    const first = JSON.parse(lines[0]!) as { time: number; node: string };
    expect(first.time).toBeGreaterThanOrEqual(Date.parse('2026-11-26T10:00:00+02:00'));
    expect(typeof first.node).toBe('string');
  });
});
