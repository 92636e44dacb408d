import { describe, expect, it } from 'vitest';
import { SimClock } from '../ros/index.js';
import { Reconnector, type LinkTarget } from './index.js';

const MS = 1_000_000n;
const settle = () => new Promise((r) => setImmediate(r));

/** A driver stand-in: ports are numbers; it is connected while `fresh`, silent since `heardNs`. */
function rig() {
  const clock = new SimClock(0n);
  const link = { port: undefined as number | undefined, fresh: false, heardNs: 0n, dropped: [] as number[] };
  const target: LinkTarget<number> = {
    get attached() {
      return link.port !== undefined;
    },
    get connected() {
      return link.port !== undefined && link.fresh;
    },
    check() {},
    silentForNs: () => (link.port === undefined ? 0n : clock.nowNs() - link.heardNs),
    attach(port) {
      link.port = port;
      link.heardNs = clock.nowNs();
    },
    dropSilent() {
      if (link.port !== undefined) link.dropped.push(link.port);
      link.port = undefined;
    },
    release() {
      link.port = undefined;
    },
  };
  let next = 1;
  const attemptsAt: number[] = [];
  const reconnector = new Reconnector(target, {
    clock,
    connect: () => {
      attemptsAt.push(Number(clock.nowNs() / MS));
      return Promise.resolve(next++);
    },
    discard: () => {},
  });
  let nowMs = 0;
  const runTo = async (toMs: number) => {
    while (nowMs < toMs) {
      nowMs += 10;
      clock.advanceTo(BigInt(nowMs) * MS);
      reconnector.tick();
      await settle();
    }
  };
  return { link, reconnector, attemptsAt, runTo };
}

describe('Reconnector', () => {
  it('closes a link its owner found unusable and backs off before the next attempt, doubling each time', async () => {
    const r = rig();
    await r.runTo(10);
    expect(r.link.port).toBe(1);
    r.reconnector.linkFailed('health ERROR');
    expect(r.link.dropped).toEqual([1]);
    await r.runTo(200);
    r.reconnector.linkFailed('health ERROR');
    await r.runTo(600);
    // failed at 10 → retry 110 (100 ms); failed at 200 → retry 400 (200 ms, doubled)
    expect(r.attemptsAt).toEqual([10, 110, 400]);
    expect(r.reconnector.status()).toMatchObject({
      failures: 2,
      lastError: 'health ERROR',
      backoffNs: 400n * MS,
    });
  });

  it('starts the backoff again from its minimum once the link is connected', async () => {
    const r = rig();
    await r.runTo(10);
    r.reconnector.linkFailed('no answer');
    r.reconnector.linkFailed('no answer'); // nothing attached: counts, doubles again
    await r.runTo(300);
    r.link.fresh = true;
    r.link.heardNs = 300n * MS;
    await r.runTo(310);
    expect(r.reconnector.status().backoffNs).toBe(100n * MS);
  });
});
