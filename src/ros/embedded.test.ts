import { describe, expect, it } from 'vitest';
import { EmbeddedContext, RosGraphError, resolveName } from './embedded.js';
import { SimClock } from './clock.js';
import { GoalStatus } from './node-api.js';
import type { NavigateToPoseFeedback, NavigateToPoseGoal } from './messages.js';
import { poseStamped, twist } from './geometry.js';
import { Time } from './time.js';
import { Parameter, ParameterType } from './parameters.js';

const MS = 1_000_000n;

function graph(startNs = 0n) {
  const clock = new SimClock(startNs);
  const ctx = new EmbeddedContext({ clock });
  return { clock, ctx };
}

/** Lets promise continuations (action results, client handles) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

function goal(x: number): NavigateToPoseGoal {
  return { pose: poseStamped('map', new Time(0n), { x, y: 0, yaw: 0 }), behavior_tree: '' };
}
function feedback(distance: number): NavigateToPoseFeedback {
  return {
    current_pose: poseStamped('map', new Time(0n), { x: 0, y: 0, yaw: 0 }),
    navigation_time: { sec: 0, nanosec: 0 },
    estimated_time_remaining: { sec: 0, nanosec: 0 },
    number_of_recoveries: 0,
    distance_remaining: distance,
  };
}

describe('topics', () => {
  it('queues on publish and delivers only on spinSome', () => {
    const { ctx } = graph();
    const a = ctx.createNode('a');
    const got: string[] = [];
    a.createSubscription('std_msgs/msg/String', '/chatter', (m) => got.push(m.data));
    a.createPublisher('std_msgs/msg/String', '/chatter').publish({ data: 'hello' });
    expect(got).toEqual([]);
    ctx.spinSome();
    expect(got).toEqual(['hello']);
    ctx.spinSome();
    expect(got).toEqual(['hello']);
  });

  it('delivers across topics and nodes in publish order, messages published in callbacks after', () => {
    const { ctx } = graph();
    const talker = ctx.createNode('talker');
    const relay = ctx.createNode('relay');
    const listener = ctx.createNode('listener');
    const log: string[] = [];
    const pubA = talker.createPublisher('std_msgs/msg/String', '/a');
    const pubB = talker.createPublisher('std_msgs/msg/String', '/b');
    const pubC = relay.createPublisher('std_msgs/msg/String', '/c');
    relay.createSubscription('std_msgs/msg/String', '/a', (m) => {
      log.push(`relay:a:${m.data}`);
      pubC.publish({ data: `re-${m.data}` });
    });
    listener.createSubscription('std_msgs/msg/String', '/a', (m) => log.push(`listener:a:${m.data}`));
    listener.createSubscription('std_msgs/msg/String', '/b', (m) => log.push(`listener:b:${m.data}`));
    listener.createSubscription('std_msgs/msg/String', '/c', (m) => log.push(`listener:c:${m.data}`));

    pubB.publish({ data: '1' });
    pubA.publish({ data: '2' });
    pubB.publish({ data: '3' });
    ctx.spinSome();
    expect(log).toEqual([
      'listener:b:1',
      'relay:a:2',
      'listener:a:2',
      'listener:b:3',
      // published from inside a callback: queued behind what was already waiting, same spin
      'listener:c:re-2',
    ]);
  });

  it('does not deliver a message to a subscription made after it was published (volatile)', () => {
    const { ctx } = graph();
    const n = ctx.createNode('n');
    const pub = n.createPublisher('std_msgs/msg/String', '/t');
    pub.publish({ data: 'early' });
    const got: string[] = [];
    n.createSubscription('std_msgs/msg/String', '/t', (m) => got.push(m.data));
    pub.publish({ data: 'late' });
    ctx.spinSome();
    expect(got).toEqual(['late']);
  });

  it('replays the last transient_local message to late subscribers, once', () => {
    const { ctx } = graph();
    const server = ctx.createNode('map_server');
    const pub = server.createPublisher('std_msgs/msg/String', '/map_name', {
      qos: { durability: 'transient_local' },
    });
    pub.publish({ data: 'v1' });
    pub.publish({ data: 'v2' });
    ctx.spinSome();
    const late = ctx.createNode('late');
    const got: string[] = [];
    late.createSubscription(
      'std_msgs/msg/String',
      '/map_name',
      { qos: { durability: 'transient_local' } },
      (m) => got.push(m.data),
    );
    ctx.spinSome();
    expect(got).toEqual(['v2']);
    ctx.spinSome();
    expect(got).toEqual(['v2']);
    pub.publish({ data: 'v3' });
    ctx.spinSome();
    expect(got).toEqual(['v2', 'v3']);

    // A volatile subscriber joining late gets only what comes after it, as in DDS.
    const volatile: string[] = [];
    late.createSubscription('std_msgs/msg/String', '/map_name', (m) => volatile.push(m.data));
    ctx.spinSome();
    expect(volatile).toEqual([]);
    pub.publish({ data: 'v4' });
    ctx.spinSome();
    expect(volatile).toEqual(['v4']);
  });

  it('refuses to use a topic with a second type, naming both', () => {
    const { ctx } = graph();
    const n = ctx.createNode('n');
    n.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
    expect(() => n.createSubscription('std_msgs/msg/String', '/cmd_vel', () => {})).toThrow(
      /'\/cmd_vel' has type geometry_msgs\/msg\/Twist; cannot use it as std_msgs\/msg\/String/,
    );
    expect(() => n.createPublisher('std_msgs/msg/Bool', 'cmd_vel')).toThrow(RosGraphError);
  });

  it('needs a callback for a subscription', () => {
    const { ctx } = graph();
    const n = ctx.createNode('n');
    expect(() => n.createSubscription('std_msgs/msg/String', '/t', {})).toThrow(/needs a callback/);
  });

  it('stops delivering to a destroyed node and no longer counts its subscriptions', () => {
    const { ctx } = graph();
    const pubNode = ctx.createNode('pub');
    const subNode = ctx.createNode('sub');
    const pub = pubNode.createPublisher('std_msgs/msg/String', '/t');
    const got: string[] = [];
    subNode.createSubscription('std_msgs/msg/String', '/t', (m) => got.push(m.data));
    expect(pub.subscriptionCount()).toBe(1);
    pub.publish({ data: 'queued before destroy' });
    subNode.destroy();
    ctx.spinSome();
    expect(got).toEqual([]);
    expect(pub.subscriptionCount()).toBe(0);
    expect(ctx.nodeCount()).toBe(1);
    expect(() => subNode.createTimer(MS, () => {})).toThrow(/destroyed/);
  });

  it('lists topics sorted with their types', () => {
    const { ctx } = graph();
    const n = ctx.createNode('n');
    n.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
    n.createSubscription('sensor_msgs/msg/LaserScan', 'scan', () => {});
    expect(ctx.topicNames()).toEqual([
      { name: '/cmd_vel', type: 'geometry_msgs/msg/Twist' },
      { name: '/scan', type: 'sensor_msgs/msg/LaserScan' },
    ]);
  });
});

describe('nodes and names', () => {
  it('resolves absolute, relative, private and namespaced names', () => {
    expect(resolveName('/scan', 'gate', '/')).toBe('/scan');
    expect(resolveName('scan', 'gate', '/')).toBe('/scan');
    expect(resolveName('scan', 'gate', '/robot1')).toBe('/robot1/scan');
    expect(resolveName('scan', 'gate', '/robot1/')).toBe('/robot1/scan');
    expect(resolveName('/scan', 'gate', '/robot1')).toBe('/scan');
    expect(resolveName('~/state', 'gate', '/')).toBe('/gate/state');
    expect(resolveName('~/state', 'gate', '/robot1')).toBe('/robot1/gate/state');
    expect(resolveName('~', 'gate', '/robot1')).toBe('/robot1/gate');
    expect(() => resolveName('', 'gate', '/')).toThrow(/empty/);
  });

  it('applies the node namespace to its topics, services and actions', () => {
    const { ctx } = graph();
    const n = ctx.createNode('gate', '/robot1');
    expect(n.createPublisher('std_msgs/msg/String', 'state').topic).toBe('/robot1/state');
    expect(n.createPublisher('std_msgs/msg/String', '~/debug').topic).toBe('/robot1/gate/debug');
    expect(
      n.createService('std_srvs/srv/Trigger', 'reset', () => ({ success: true, message: '' })).serviceName,
    ).toBe('/robot1/reset');
  });

  it('treats a namespace without a leading slash as absolute, as rcl does', () => {
    const { ctx } = graph();
    const n = ctx.createNode('gate', 'robot1');
    expect(n.namespace()).toBe('/robot1');
    expect(n.createPublisher('std_msgs/msg/String', 'state').topic).toBe('/robot1/state');
  });

  it('rejects invalid and duplicate node names', () => {
    const { ctx } = graph();
    ctx.createNode('gate');
    expect(() => ctx.createNode('gate')).toThrow(/already exists/);
    expect(() => ctx.createNode('gate', '/other')).not.toThrow();
    expect(() => ctx.createNode('9lives')).toThrow(/invalid node name '9lives'/);
    expect(() => ctx.createNode('with-dash')).toThrow(RosGraphError);
  });

  it('reads the context clock through now() and getClock()', () => {
    const { clock, ctx } = graph(5n);
    const n = ctx.createNode('n');
    expect(n.now().nanoseconds).toBe(5n);
    clock.advanceTo(1_500_000_000n);
    expect(n.getClock().now().nanoseconds).toBe(1_500_000_000n);
    expect(() => clock.advanceTo(1n)).toThrow(RangeError);
  });

  it('hands each node the logger the context makes for it', () => {
    const lines: string[] = [];
    const ctx = new EmbeddedContext({
      clock: new SimClock(),
      logger: (name) => ({
        debug: (m) => lines.push(`${name} debug ${m}`),
        info: (m) => lines.push(`${name} info ${m}`),
        warn: (m) => lines.push(`${name} warn ${m}`),
        error: (m) => lines.push(`${name} error ${m}`),
      }),
    });
    ctx.createNode('gate').getLogger().warn('stopped');
    expect(lines).toEqual(['gate warn stopped']);
  });
});

describe('the graph as a backend (GraphContext)', () => {
  it('gives a node the overrides of its NodeOptions over the launch-style table', () => {
    const ctx = new EmbeddedContext({
      clock: new SimClock(0n),
      parameterOverrides: { navigator: { timeout: 100, replan_period: 2 } },
    });
    const node = ctx.createNode('navigator', '/', { parameterOverrides: { timeout: 300 } });
    const declare = (name: string, value: number) =>
      node.declareParameter(new Parameter(name, ParameterType.PARAMETER_DOUBLE, value)).value;
    expect(declare('timeout', 900)).toBe(300);
    expect(declare('replan_period', 1)).toBe(2);
    expect(declare('transform_tolerance', 0.5)).toBe(0.5);
  });

  it('reads the time of its clock', () => {
    const { clock, ctx } = graph(5n * MS);
    expect(ctx.now().nanoseconds).toBe(5n * MS);
    clock.advanceTo(7n * MS);
    expect(ctx.now().nanoseconds).toBe(7n * MS);
  });

  it('shuts down every node: no more timers or deliveries, and no new nodes', () => {
    const { clock, ctx } = graph();
    const node = ctx.createNode('talker');
    let ticks = 0;
    node.createTimer(10n * MS, () => ticks++);
    ctx.shutdown();
    expect(ctx.nodeCount()).toBe(0);
    clock.advanceTo(100n * MS);
    ctx.spinSome();
    expect(ticks).toBe(0);
    expect(() => ctx.createNode('late')).toThrow(/cannot create node 'late': the graph has shut down/);
  });

  it('refuses to spin in real time on a simulated clock, which only a simulator moves', () => {
    const { ctx } = graph();
    expect(() => ctx.spin()).toThrow(/spin\(\) needs a graph on the system clock/);
  });
});

describe('timers', () => {
  it('fires the first call one period after creation, then at a fixed rate', () => {
    const { clock, ctx } = graph();
    const n = ctx.createNode('n');
    const at: bigint[] = [];
    n.createTimer(50n * MS, () => at.push(clock.nowNs()));
    for (let t = 10n * MS; t <= 200n * MS; t += 10n * MS) {
      clock.advanceTo(t);
      ctx.spinSome();
    }
    expect(at).toEqual([50n * MS, 100n * MS, 150n * MS, 200n * MS]);
  });

  it('fires due timers in (due time, creation order), delivering messages between them', () => {
    const { clock, ctx } = graph();
    const n = ctx.createNode('n');
    const log: string[] = [];
    const pub = n.createPublisher('std_msgs/msg/String', '/t');
    n.createSubscription('std_msgs/msg/String', '/t', (m) => log.push(`msg ${m.data}`));
    n.createTimer(30n * MS, () => log.push('slow'));
    n.createTimer(20n * MS, () => {
      log.push('fast');
      pub.publish({ data: 'from fast' });
    });
    n.createTimer(30n * MS, () => log.push('slow2'));
    clock.advanceTo(30n * MS);
    ctx.spinSome();
    // fast is due at 20 ms, slow and slow2 at 30 ms in creation order; the message goes out first
    expect(log).toEqual(['fast', 'msg from fast', 'slow', 'slow2']);
  });

  it('fires a timer that fell behind once, keeping its phase', () => {
    const { clock, ctx } = graph();
    const n = ctx.createNode('n');
    let calls = 0;
    n.createTimer(50n * MS, () => calls++);
    clock.advanceTo(120n * MS);
    ctx.spinSome();
    expect(calls).toBe(1);
    expect(ctx.nextTimerDue()).toBe(150n * MS);
  });

  it('cancels, and reset re-arms one period from now (also after cancel)', () => {
    const { clock, ctx } = graph();
    const n = ctx.createNode('n');
    let calls = 0;
    const timer = n.createTimer(100n * MS, () => calls++);
    expect(timer.period).toBe(100n * MS);
    clock.advanceTo(60n * MS);
    timer.reset();
    clock.advanceTo(100n * MS);
    ctx.spinSome();
    expect(calls).toBe(0);
    clock.advanceTo(160n * MS);
    ctx.spinSome();
    expect(calls).toBe(1);

    timer.cancel();
    expect(timer.isCanceled()).toBe(true);
    expect(ctx.nextTimerDue()).toBeUndefined();
    clock.advanceTo(400n * MS);
    ctx.spinSome();
    expect(calls).toBe(1);

    timer.reset();
    expect(timer.isCanceled()).toBe(false);
    expect(ctx.nextTimerDue()).toBe(500n * MS);
    clock.advanceTo(500n * MS);
    ctx.spinSome();
    expect(calls).toBe(2);
  });

  it('lets a timer cancel itself from its callback (one-shot)', () => {
    const { clock, ctx } = graph();
    const n = ctx.createNode('n');
    let calls = 0;
    const timer = n.createTimer(10n * MS, () => {
      calls++;
      timer.cancel();
    });
    for (let t = 10n * MS; t <= 50n * MS; t += 10n * MS) {
      clock.advanceTo(t);
      ctx.spinSome();
    }
    expect(calls).toBe(1);
  });

  it('reports the next due time so a driver can jump to it', () => {
    const { clock, ctx } = graph();
    const n = ctx.createNode('n');
    expect(ctx.nextTimerDue()).toBeUndefined();
    n.createTimer(70n * MS, () => {});
    n.createTimer(30n * MS, () => {});
    expect(ctx.nextTimerDue()).toBe(30n * MS);
    clock.advanceTo(30n * MS);
    ctx.spinSome();
    expect(ctx.nextTimerDue()).toBe(60n * MS);
  });

  it('refuses a non-positive period and stops the timers of a destroyed node', () => {
    const { clock, ctx } = graph();
    const n = ctx.createNode('n');
    expect(() => n.createTimer(0n, () => {})).toThrow(/positive/);
    let calls = 0;
    n.createTimer(10n * MS, () => calls++);
    n.destroy();
    clock.advanceTo(100n * MS);
    ctx.spinSome();
    expect(calls).toBe(0);
    expect(ctx.nextTimerDue()).toBeUndefined();
  });
});

describe('services', () => {
  it('answers with the returned value, through the executor', () => {
    const { ctx } = graph();
    const server = ctx.createNode('server');
    const client = ctx.createNode('client');
    server.createService('std_srvs/srv/SetBool', '/safety/estop', (req) => ({
      success: true,
      message: req.data ? 'latched' : 'reset',
    }));
    const c = client.createClient('std_srvs/srv/SetBool', '/safety/estop');
    expect(c.isServiceServerAvailable()).toBe(true);
    const got: string[] = [];
    c.sendRequest({ data: true }, (res) => got.push(res.message));
    expect(got).toEqual([]);
    ctx.spinSome();
    expect(got).toEqual(['latched']);
  });

  it('answers with response.send, later if the server wants, and only once', () => {
    const { clock, ctx } = graph();
    const server = ctx.createNode('server');
    const pending: Array<() => void> = [];
    server.createService('std_srvs/srv/Trigger', 'later', (_req, response) => {
      pending.push(() => {
        response.send({ success: true, message: 'first' });
        response.send({ success: false, message: 'second' });
      });
    });
    const c = ctx.createNode('client').createClient('std_srvs/srv/Trigger', '/later');
    const got: string[] = [];
    c.sendRequest({}, (res) => got.push(res.message));
    ctx.spinSome();
    expect(got).toEqual([]);
    pending[0]!();
    clock.advanceTo(1n);
    ctx.spinSome();
    expect(got).toEqual(['first']);
  });

  it('errors when the service is missing or has another type, and after it is gone', () => {
    const { ctx } = graph();
    const client = ctx.createNode('client');
    const c = client.createClient('std_srvs/srv/Trigger', '/nobody');
    expect(c.isServiceServerAvailable()).toBe(false);
    expect(() => c.sendRequest({}, () => {})).toThrow(/service '\/nobody' is not available/);

    const server = ctx.createNode('server');
    server.createService('std_srvs/srv/SetBool', '/typed', () => ({ success: true, message: '' }));
    const wrong = client.createClient('std_srvs/srv/Trigger', '/typed');
    expect(() => wrong.sendRequest({}, () => {})).toThrow(
      /has type std_srvs\/srv\/SetBool, not std_srvs\/srv\/Trigger/,
    );
    expect(() =>
      server.createService('std_srvs/srv/SetBool', '/typed', () => ({ success: true, message: '' })),
    ).toThrow(/already provided/);

    server.destroy();
    expect(client.createClient('std_srvs/srv/SetBool', '/typed').isServiceServerAvailable()).toBe(false);
  });
});

describe('actions', () => {
  it('delivers feedback and the result of a goal that succeeds', async () => {
    const { ctx } = graph();
    const server = ctx.createNode('navigator');
    const seenGoals: number[] = [];
    server.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
      async execute(gh) {
        seenGoals.push(gh.request.pose.pose.position.x);
        gh.publishFeedback(feedback(3));
        gh.publishFeedback(feedback(1));
        gh.succeed();
        return { error_code: 0, error_msg: '' };
      },
    });
    const client = ctx
      .createNode('mission')
      .createActionClient('nav2_msgs/action/NavigateToPose', 'navigate_to_pose');
    expect(client.isActionServerAvailable()).toBe(true);
    const fb: number[] = [];
    const handle = await client.sendGoal(goal(7), (f) => fb.push(f.distance_remaining));
    expect(handle.accepted).toBe(true);
    expect(handle.status).toBe(GoalStatus.STATUS_ACCEPTED);
    const result = handle.getResult();
    ctx.spinSome();
    await settle();
    ctx.spinSome();
    await settle();
    expect(seenGoals).toEqual([7]);
    expect(fb).toEqual([3, 1]);
    expect(await result).toEqual({
      status: GoalStatus.STATUS_SUCCEEDED,
      result: { error_code: 0, error_msg: '' },
    });
    expect(handle.status).toBe(GoalStatus.STATUS_SUCCEEDED);
  });

  it('reports abort, and a thrown error as an aborted goal without a result, saying why', async () => {
    const { ctx } = graph();
    const server = ctx.createNode('navigator');
    server.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
      async execute(gh) {
        if (gh.request.pose.pose.position.x < 0) throw new Error('goal outside the map');
        gh.abort();
        return { error_code: 104, error_msg: 'no path' };
      },
    });
    const client = ctx
      .createNode('mission')
      .createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
    const aborted = (await client.sendGoal(goal(1))).getResult();
    const thrown = (await client.sendGoal(goal(-1))).getResult();
    ctx.spinSome();
    await settle();
    ctx.spinSome();
    await settle();
    expect(await aborted).toEqual({
      status: GoalStatus.STATUS_ABORTED,
      result: { error_code: 104, error_msg: 'no path' },
    });
    // No invented result: the result's shape belongs to the action type, so the client hears why.
    await expect(thrown).rejects.toThrow(
      /action '\/navigate_to_pose' aborted goal goal-\d+: its execute callback failed \(goal outside the map\)/,
    );
  });

  it('cancels a running goal on request, and stops feedback once it has ended', async () => {
    const { clock, ctx } = graph();
    const server = ctx.createNode('navigator');
    const feedbackSent: number[] = [];
    server.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
      execute(gh) {
        // Works in timer ticks until the client asks to cancel.
        return new Promise((resolve) => {
          let step = 0;
          const timer = server.createTimer(100n * MS, () => {
            step++;
            if (gh.isCancelRequested) {
              timer.cancel();
              gh.canceled();
              gh.publishFeedback(feedback(-1)); // dropped: the goal is over
              resolve({ error_code: 0, error_msg: 'cancelled' });
              return;
            }
            feedbackSent.push(step);
            gh.publishFeedback(feedback(step));
          });
        });
      },
    });
    const client = ctx
      .createNode('mission')
      .createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
    const fb: number[] = [];
    const handle = await client.sendGoal(goal(1), (f) => fb.push(f.distance_remaining));
    ctx.spinSome();
    expect(handle.status).toBe(GoalStatus.STATUS_EXECUTING);
    for (const t of [100n, 200n]) {
      clock.advanceTo(t * MS);
      ctx.spinSome();
    }
    await handle.cancelGoal();
    expect(handle.status).toBe(GoalStatus.STATUS_CANCELING);
    clock.advanceTo(300n * MS);
    ctx.spinSome();
    await settle();
    ctx.spinSome();
    await settle();
    expect(await handle.getResult()).toEqual({
      status: GoalStatus.STATUS_CANCELED,
      result: { error_code: 0, error_msg: 'cancelled' },
    });
    expect(fb).toEqual([1, 2]);
    expect(feedbackSent).toEqual([1, 2]);
  });

  it('lets the server refuse a cancel request', async () => {
    const { ctx } = graph();
    const server = ctx.createNode('navigator');
    let finish!: () => void;
    server.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
      execute: (gh) =>
        new Promise((resolve) => {
          finish = () => {
            gh.succeed();
            resolve({ error_code: 0, error_msg: '' });
          };
        }),
      cancel: () => 'reject',
    });
    const client = ctx
      .createNode('mission')
      .createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
    const handle = await client.sendGoal(goal(1));
    ctx.spinSome();
    await handle.cancelGoal();
    expect(handle.status).toBe(GoalStatus.STATUS_EXECUTING);
    finish();
    await settle();
    ctx.spinSome();
    expect((await handle.getResult()).status).toBe(GoalStatus.STATUS_SUCCEEDED);
  });

  it('reports a rejected goal without executing it', async () => {
    const { ctx } = graph();
    const server = ctx.createNode('navigator');
    let executed = 0;
    server.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', {
      goal: (g) => (g.pose.header.frame_id === 'map' ? 'accept' : 'reject'),
      execute: async () => {
        executed++;
        return { error_code: 0, error_msg: '' };
      },
    });
    const client = ctx
      .createNode('mission')
      .createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
    const bad = goal(1);
    bad.pose.header.frame_id = 'odom';
    const handle = await client.sendGoal(bad);
    ctx.spinSome();
    await settle();
    expect(handle.accepted).toBe(false);
    expect(handle.status).toBe(GoalStatus.STATUS_UNKNOWN);
    expect(executed).toBe(0);
    await expect(handle.getResult()).rejects.toThrow(/was rejected; it has no result/);
  });

  it('rejects sendGoal when no server is there, and refuses a second server on one name', async () => {
    const { ctx } = graph();
    const client = ctx
      .createNode('mission')
      .createActionClient('nav2_msgs/action/NavigateToPose', '/navigate_to_pose');
    expect(client.isActionServerAvailable()).toBe(false);
    await expect(client.sendGoal(goal(1))).rejects.toThrow(/action '\/navigate_to_pose' is not available/);
    const server = ctx.createNode('navigator');
    const callbacks = { execute: async () => ({ error_code: 0, error_msg: '' }) };
    const handle = server.createActionServer(
      'nav2_msgs/action/NavigateToPose',
      '/navigate_to_pose',
      callbacks,
    );
    expect(() =>
      server.createActionServer('nav2_msgs/action/NavigateToPose', '/navigate_to_pose', callbacks),
    ).toThrow(/already provided/);
    handle.destroy();
    expect(client.isActionServerAvailable()).toBe(false);
  });
});

describe('messages are data', () => {
  it('hands subscribers the very object published (no copy), so publishers send fresh objects', () => {
    const { ctx } = graph();
    const n = ctx.createNode('n');
    const got: unknown[] = [];
    n.createSubscription('geometry_msgs/msg/Twist', '/cmd_vel', (m) => got.push(m));
    const msg = twist(0.5, 0.1);
    n.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel').publish(msg);
    ctx.spinSome();
    expect(got[0]).toBe(msg);
  });
});
