import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../../src/map/index.js';
import { Rng } from '../rng.js';
import type { CustomerSpec } from '../scenario.js';
import { DayCustomers, LANGUAGE_SHARES, PATIENCE_S } from './day-customers.js';

let site: Site;
beforeAll(async () => {
  site = await loadSite('maps/iso-omena');
});

function stream(arrivalsS: number[], seed = 1): DayCustomers {
  return new DayCustomers(site, arrivalsS, new Rng(seed).fork('day-customers'));
}

/** Every customer of a stream whose clock stands at 0 (nobody gives up). */
function all(n: number, seed = 1): CustomerSpec[] {
  const s = stream(
    Array.from({ length: n }, (_, i) => i * 60),
    seed,
  );
  return Array.from({ length: n }, () => s.next());
}

describe('the day customers', () => {
  it('ask in Espoo’s languages, by desk, by need and for what is elsewhere, some for directions only', () => {
    const n = 3000;
    const s = stream(Array.from({ length: n }, (_, i) => i * 60));
    const specs = Array.from({ length: n }, () => s.next());
    for (const [language, share] of LANGUAGE_SHARES) {
      const seen = s.issued.filter((a) => a.language === language).length / n;
      expect(Math.abs(seen - share), language).toBeLessThan(0.03);
    }
    const serviceTerms = new Set(
      site.destinations.flatMap((d) =>
        d.services.flatMap((x) => [...x.terms.fi, ...x.terms.sv, ...x.terms.en]),
      ),
    );
    const elsewhereTerms = new Set(
      site.elsewhere.flatMap((e) => [...e.terms.fi, ...e.terms.sv, ...e.terms.en]),
    );
    const byNeed = specs.filter((c) => [...serviceTerms].some((t) => c.ask.includes(t))).length / n;
    const elsewhere = specs.filter((c) => elsewhereTerms.has(c.ask)).length / n;
    expect(byNeed).toBeGreaterThan(0.3);
    expect(elsewhere).toBeGreaterThan(0.07);
    const directions = specs.filter((c) => c.mode === 'directions').length / n;
    expect(Math.abs(directions - 0.1)).toBeLessThan(0.02);
    // Most follow; some fall behind for a while; a few walk off.
    const kinds = (k: string) => specs.filter((c) => c.behaviour.kind === k).length / n;
    expect(kinds('follow')).toBeGreaterThan(0.8);
    expect(Math.abs(kinds('fall_behind') - 0.1)).toBeLessThan(0.02);
    expect(Math.abs(kinds('lost') - 0.03)).toBeLessThan(0.015);
    expect(s.issued.every((a) => a.patienceS >= PATIENCE_S.min && a.patienceS <= PATIENCE_S.max)).toBe(true);
  });

  it('leaves out whoever gave up while the robot was away, and no one else', () => {
    const s = stream([0, 10, 20, 1000]);
    let now = 0;
    s.bindClock(() => now);
    expect(s.next().at).toBe(0);
    // The robot is back at 600 s: the customers of 10 and 20 s waited over 480 s, their most.
    now = 600;
    expect(s.next().at).toBe(1000);
    expect(s.gaveUp.map((a) => a.atS)).toEqual([10, 20]);
    expect(s.issued.map((a) => a.atS)).toEqual([0, 1000]);
    // Then nobody more today: a customer who never comes.
    expect(s.next().at).toBe(Number.POSITIVE_INFINITY);
    expect(s.remaining()).toEqual([]);
  });

  it('is the same customer at the same arrival whoever gave up before them', () => {
    const early = stream([0, 10, 20, 1000]);
    const everyone = Array.from({ length: 4 }, () => early.next());
    const late = stream([0, 10, 20, 1000]);
    late.bindClock(() => 900);
    expect(late.next()).toEqual(everyone[3]);
    expect(all(50, 3)).toEqual(all(50, 3));
    expect(all(50, 4)).not.toEqual(all(50, 3));
  });
});
