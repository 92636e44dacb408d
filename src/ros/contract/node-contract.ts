/**
 * The contract for what a node owns: its clock and timers (on the node clock, the first call one
 * period after creation, a late timer firing as rcl_timer_call does), its parameters (launch-style
 * overrides, checked against the declared type) and its end (destroy, shutdown).
 */
import { expect, it } from 'vitest';
import type { ContractBackend } from './backend.js';
import { Parameter, ParameterError, ParameterType, type RosNode } from './ros.js';

type Backend = () => ContractBackend;
const MS = 1_000_000n;

/** A node whose timer callbacks record the node's time at each call. */
async function timed(b: ContractBackend, periodMs: bigint) {
  const node = b.graph.createNode('ticker');
  await b.advance(0n);
  const start = node.now().nanoseconds;
  const at: bigint[] = [];
  const timer = node.createTimer(periodMs * MS, () => at.push(node.now().nanoseconds - start));
  return { node, timer, at, ms: (n: bigint) => n * MS };
}

export function clockContract(backend: Backend): void {
  it('gives every node and the graph the backend’s time', async () => {
    const b = backend();
    const node = b.graph.createNode('n');
    await b.advance(1500n * MS);
    expect(node.now().nanoseconds).toBe(b.time());
    expect(node.getClock().now().nanoseconds).toBe(b.time());
    expect(b.graph.now().nanoseconds).toBe(b.time());
  });
}

export function timersContract(backend: Backend): void {
  it('calls a timer one period after its creation, then at a fixed rate', async () => {
    const b = backend();
    const { at, ms } = await timed(b, 50n);
    await b.advance(49n * MS);
    await b.settle();
    expect(at).toEqual([]);
    await b.advance(1n * MS);
    await b.until(() => at.length === 1, 'the first call');
    for (const n of [2, 3]) {
      await b.advance(50n * MS);
      await b.until(() => at.length === n, `call ${n}`);
    }
    expect(at).toEqual([ms(50n), ms(100n), ms(150n)]);
  });

  it('cancels, and reset re-arms one period from then, also after a cancel', async () => {
    const b = backend();
    const { timer, at } = await timed(b, 100n);
    expect(timer.period).toBe(100n * MS);
    await b.advance(60n * MS);
    timer.reset();
    await b.advance(40n * MS);
    await b.settle();
    expect(at).toEqual([]);
    await b.advance(60n * MS);
    await b.until(() => at.length === 1, 'the call one period after the reset');
    timer.cancel();
    expect(timer.isCanceled()).toBe(true);
    await b.advance(240n * MS);
    await b.settle();
    expect(at.length).toBe(1);
    timer.reset();
    expect(timer.isCanceled()).toBe(false);
    await b.advance(100n * MS);
    await b.until(() => at.length === 2, 'the call after the second reset');
    expect(at).toEqual([160n * MS, 500n * MS]);
  });

  it('fires a timer that fell behind once for the periods it missed, keeping its phase', async () => {
    const b = backend();
    const { at, ms } = await timed(b, 50n);
    await b.advance(120n * MS);
    await b.until(() => at.length === 1, 'the late call');
    await b.settle();
    expect(at).toEqual([ms(120n)]);
    await b.advance(30n * MS);
    await b.until(() => at.length === 2, 'the next call, on the original phase');
    expect(at).toEqual([ms(120n), ms(150n)]);
  });

  it('calls a timer that is due now as well as once for the periods it missed (rcl_timer_call)', async () => {
    const b = backend();
    const { at, ms } = await timed(b, 50n);
    // At 150 ms the calls due at 50 and 100 were missed and the one due at 150 is due now: one
    // call for the missed ones, one for the due one.
    await b.advance(150n * MS);
    await b.until(() => at.length === 2, 'the missed call and the due one');
    await b.settle();
    expect(at).toEqual([ms(150n), ms(150n)]);
    await b.advance(50n * MS);
    await b.until(() => at.length === 3, 'the next call, on the original phase');
    expect(at).toEqual([ms(150n), ms(150n), ms(200n)]);
  });

  it('refuses a period that is not positive', () => {
    const b = backend();
    expect(() => b.graph.createNode('n').createTimer(0n, () => {})).toThrow(/timer period must be positive/);
  });
}

function declareDouble(node: RosNode, name: string, value: number): Parameter {
  return node.declareParameter(new Parameter(name, ParameterType.PARAMETER_DOUBLE, value));
}

export function parametersContract(backend: Backend): void {
  it('declares with the override in force, an integer standing for a double', () => {
    const b = backend();
    const node = b.graph.createNode('navigator', '/', {
      parameterOverrides: { timeout: 300, replan_period: 2n },
    });
    expect(declareDouble(node, 'timeout', 900).value).toBe(300);
    expect(declareDouble(node, 'replan_period', 1).value).toBe(2);
    expect(declareDouble(node, 'tolerance', 0.5).value).toBe(0.5);
    expect(node.getParameter('replan_period')).toEqual(
      new Parameter('replan_period', ParameterType.PARAMETER_DOUBLE, 2),
    );
  });

  it('refuses an override of the wrong type at declaration, naming both types', () => {
    const b = backend();
    const node = b.graph.createNode('navigator', '/', { parameterOverrides: { timeout: 'slow' } });
    expect(() => declareDouble(node, 'timeout', 900)).toThrow(ParameterError);
    expect(() => declareDouble(node, 'timeout', 900)).toThrow(
      /expected PARAMETER_DOUBLE, got PARAMETER_STRING/,
    );
    expect(node.hasParameter('timeout')).toBe(false);
  });

  it('gets and sets declared parameters by their type, and knows which are declared', () => {
    const b = backend();
    const node = b.graph.createNode('gate');
    expect(node.hasParameter('use_sim_time')).toBe(true);
    expect(node.getParameter('use_sim_time').type).toBe(ParameterType.PARAMETER_BOOL);
    declareDouble(node, 'max_speed', 0.8);
    expect(() => declareDouble(node, 'max_speed', 0.8)).toThrow(/already declared on node 'gate'/);
    node.setParameter(Parameter.fromValue('max_speed', 0.5));
    expect(node.getParameter('max_speed').value).toBe(0.5);
    node.setParameter(Parameter.fromValue('max_speed', 1n));
    expect(node.getParameter('max_speed').value).toBe(1);
    expect(() => node.setParameter(Parameter.fromValue('max_speed', 'fast'))).toThrow(
      /'max_speed': expected PARAMETER_DOUBLE, got PARAMETER_STRING/,
    );
    expect(node.getParameter('max_speed').value).toBe(1);
    expect(node.hasParameter('nope')).toBe(false);
    expect(() => node.getParameter('nope')).toThrow(/'nope': not declared on node 'gate'/);
    expect(() => node.setParameter(Parameter.fromValue('nope', 1))).toThrow(/not declared/);
  });
}

export function lifecycleContract(backend: Backend): void {
  it('stops a destroyed node’s deliveries and timers, and refuses new entities on it', async () => {
    const b = backend();
    const pub = b.graph.createNode('pub').createPublisher('std_msgs/msg/String', '/t');
    const sub = b.graph.createNode('sub');
    const got: string[] = [];
    let ticks = 0;
    sub.createSubscription('std_msgs/msg/String', '/t', (m) => got.push(m.data));
    sub.createTimer(10n * MS, () => ticks++);
    await b.until(() => pub.subscriptionCount() === 1, 'the subscription is matched');
    sub.destroy();
    pub.publish({ data: 'after destroy' });
    await b.advance(100n * MS);
    await b.until(() => pub.subscriptionCount() === 0, 'the subscription is gone');
    await b.settle();
    expect([got, ticks]).toEqual([[], 0]);
    expect(() => sub.createTimer(MS, () => {})).toThrow(/node 'sub' has been destroyed/);
    expect(() => sub.destroy()).not.toThrow();
  });

  it('shuts down every node: no more timers, and no new nodes', async () => {
    const b = backend();
    let ticks = 0;
    b.graph.createNode('talker').createTimer(10n * MS, () => ticks++);
    await b.advance(0n);
    b.graph.shutdown();
    await b.advance(100n * MS);
    await b.settle();
    expect(ticks).toBe(0);
    expect(() => b.graph.createNode('late')).toThrow(/cannot create node 'late': the graph has shut down/);
  });
}
