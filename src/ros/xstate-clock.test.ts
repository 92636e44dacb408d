import { describe, expect, it } from 'vitest';
import { createActor, createMachine } from 'xstate';
import { EmbeddedContext } from './embedded.js';
import { SimClock } from './clock.js';
import { nodeActorClock } from './xstate-clock.js';

const MS = 1_000_000n;

function setup() {
  const clock = new SimClock();
  const ctx = new EmbeddedContext({ clock });
  const node = ctx.createNode('mission');
  const step = (toMs: number) => {
    clock.advanceTo(BigInt(toMs) * MS);
    ctx.spinSome();
  };
  return { ctx, node, step };
}

const waiter = createMachine({
  id: 'waiter',
  initial: 'waiting',
  states: {
    waiting: { after: { 1000: 'timedOut' }, on: { ARRIVED: 'arrived' } },
    timedOut: {},
    arrived: {},
  },
});

describe('nodeActorClock', () => {
  it('fires an `after: 1000` transition only when sim time passes 1 s', () => {
    const { node, step } = setup();
    const actor = createActor(waiter, { clock: nodeActorClock(node) }).start();
    step(999);
    expect(actor.getSnapshot().value).toBe('waiting');
    step(1000);
    expect(actor.getSnapshot().value).toBe('timedOut');
  });

  it('does not fire when time stands still, however long the wall clock waits', async () => {
    const { ctx, node } = setup();
    const actor = createActor(waiter, { clock: nodeActorClock(node) }).start();
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      ctx.spinSome();
    }
    expect(actor.getSnapshot().value).toBe('waiting');
  });

  it('cancels the delay when the state is left early, leaving no timer behind', () => {
    const { ctx, node, step } = setup();
    const actor = createActor(waiter, { clock: nodeActorClock(node) }).start();
    expect(ctx.nextTimerDue()).toBe(1000n * MS);
    step(400);
    actor.send({ type: 'ARRIVED' });
    expect(ctx.nextTimerDue()).toBeUndefined();
    step(5000);
    expect(actor.getSnapshot().value).toBe('arrived');
  });

  it('fires a delay once (one-shot), however far time jumps', () => {
    const { node, step } = setup();
    let fired = 0;
    const clock = nodeActorClock(node);
    clock.setTimeout(() => fired++, 250);
    step(10_000);
    step(20_000);
    expect(fired).toBe(1);
  });

  it('clears a pending delay', () => {
    const { node, step } = setup();
    let fired = 0;
    const clock = nodeActorClock(node);
    const id = clock.setTimeout(() => fired++, 250);
    clock.clearTimeout(id);
    clock.clearTimeout(undefined);
    step(1000);
    expect(fired).toBe(0);
  });
});
