import { describe, expect, it } from 'vitest';
import { runRealtime, type Steppable } from './realtime.js';

const MS = 1_000_000n;

/** A device that only keeps time. */
class Clockwork implements Steppable {
  #nowNs = 0n;
  nowNs(): bigint {
    return this.#nowNs;
  }
  advanceNs(ns: bigint): void {
    this.#nowNs += ns;
  }
}

/** Lets the event loop turn `n` times, timers included. */
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 1));
}

describe('runRealtime.atNow', () => {
  it('hands the device what came at the emulated time it came, however far the device lags', async () => {
    const device = new Clockwork();
    let wallMs = 1_000; // moved by hand
    const run = runRealtime(device, { wallMs: () => wallMs, maxSliceNs: 1_000_000 });
    const seen: bigint[] = [];
    try {
      await turns(3);
      wallMs += 10;
      run.atNow(() => seen.push(device.nowNs())); // at 10 ms
      wallMs += 20;
      run.atNow(() => seen.push(device.nowNs())); // at 30 ms
      // Each was handed over when the device reached its time, not when the device lagged.
      for (let i = 0; i < 100 && seen.length < 2; i++) await turns(1);
      expect(seen).toEqual([10n * MS, 30n * MS]);
    } finally {
      await run.stop();
    }
  });

  it('keeps the spacing of what was read late, even once the device has passed its time', async () => {
    const device = new Clockwork();
    let wallMs = 1_000;
    const run = runRealtime(device, { wallMs: () => wallMs });
    const seen: bigint[] = [];
    try {
      wallMs += 100;
      device.advanceNs(100n * MS); // the device is at 100 ms, as the run would have it
      // Two writes read 60 and 40 ms ago (20 ms apart): the device is past both times.
      run.atNow(() => seen.push(device.nowNs()), 60);
      run.atNow(() => seen.push(device.nowNs()), 40);
      wallMs += 50;
      for (let i = 0; i < 100 && seen.length < 2; i++) await turns(1);
      expect(seen).toEqual([100n * MS, 120n * MS]); // the first now, the second 20 ms after it
      // Caught up with the wall clock first (on a loaded machine the loop may still be short of
      // it), so the hold-up below starts from a known time.
      for (let i = 0; i < 2000 && device.nowNs() < 150n * MS; i++) await turns(1);
      expect(device.nowNs()).toBe(150n * MS);
      // Long after (a hold-up: the device runs 100 ms of it), no delay is left over.
      wallMs += 1000;
      run.atNow(() => seen.push(device.nowNs()));
      for (let i = 0; i < 2000 && seen.length < 3; i++) await turns(1);
      expect(seen[2]).toBe(250n * MS);
    } finally {
      await run.stop();
    }
  });

  it('pauses the device for a hold-up longer than maxLagMs instead of running it through the gap', async () => {
    const device = new Clockwork();
    let wallMs = 0;
    const run = runRealtime(device, { wallMs: () => wallMs, maxLagMs: 100 });
    const seen: bigint[] = [];
    try {
      wallMs += 50;
      for (let i = 0; i < 100 && device.nowNs() < 50n * MS; i++) await turns(1);
      expect(device.nowNs()).toBe(50n * MS); // a short lag is caught up, as ever
      wallMs += 500; // the process held up for half a second
      expect(run.lagNs()).toBe(100n * MS);
      expect(run.slippedMs()).toBe(400);
      // The host's next bytes, as soon as it runs again, reach the device 100 ms on, not 500.
      run.atNow(() => seen.push(device.nowNs()));
      for (let i = 0; i < 200 && seen.length < 1; i++) await turns(1);
      expect(seen).toEqual([150n * MS]);
      wallMs += 20; // and then on in real time
      for (let i = 0; i < 200 && device.nowNs() < 170n * MS; i++) await turns(1);
      expect(device.nowNs()).toBe(170n * MS);
    } finally {
      await run.stop();
    }
  });

  it('runs actions at once after stop()', async () => {
    const run = runRealtime(new Clockwork(), { wallMs: () => 0 });
    await run.stop();
    let ran = false;
    run.atNow(() => (ran = true));
    expect(ran).toBe(true);
  });
});
