import { describe, expect, it } from 'vitest';
import { CommandRelay } from './command-relay.js';

const MS = 1_000_000n;
const relay = () =>
  new CommandRelay({ minPeriodNs: 50n * MS, refreshPeriodNs: 100n * MS, freshForNs: 250n * MS });

describe('CommandRelay', () => {
  it('sends nothing before the first command', () => {
    expect(relay().due(0n)).toBeUndefined();
  });

  it('sends a new command at once, holds the next back for 50 ms, and sends the latest then', () => {
    const r = relay();
    r.take({ linear: 0.1, angular: 0 }, 0n);
    expect(r.due(0n)).toEqual({ linear: 0.1, angular: 0 });
    r.take({ linear: 0.2, angular: 0 }, 20n * MS);
    expect(r.due(20n * MS)).toBeUndefined();
    r.take({ linear: 0.3, angular: 0 }, 40n * MS);
    expect(r.due(49n * MS)).toBeUndefined();
    expect(r.due(50n * MS)).toEqual({ linear: 0.3, angular: 0 });
    expect(r.due(60n * MS)).toBeUndefined();
  });

  it('repeats every 100 ms while fresh, sends one stop once stale, then stays quiet', () => {
    const r = relay();
    r.take({ linear: 0.5, angular: 0.1 }, 0n);
    const sent: Array<[number, number | undefined]> = [];
    for (let ms = 0; ms <= 600; ms += 10) sent.push([ms, r.due(BigInt(ms) * MS)?.linear]);
    expect(sent.filter(([, v]) => v !== undefined)).toEqual([
      [0, 0.5],
      [100, 0.5],
      [200, 0.5],
      [260, 0],
    ]);
  });

  it('resend() sends the latest fresh command at the next chance (a new link)', () => {
    const r = relay();
    r.take({ linear: 0.5, angular: 0 }, 0n);
    r.due(0n);
    r.resend();
    expect(r.due(10n * MS)).toEqual({ linear: 0.5, angular: 0 });
  });
});
