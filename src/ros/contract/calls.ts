/**
 * The contract for services and actions: answers come through the executor, never inside the
 * call; actions accept or reject, send feedback, end succeeded, aborted or cancelled with the
 * action_msgs/msg/GoalStatus codes, and a server may refuse to cancel.
 */
import { expect, it } from 'vitest';
import { resolveOn, type ContractBackend } from './backend.js';
import {
  GoalStatus,
  Time,
  type ActionClient,
  type NavigateToPoseFeedback,
  type NavigateToPoseGoal,
  type RosNode,
} from './ros.js';

type Backend = () => ContractBackend;
type Nav = 'nav2_msgs/action/NavigateToPose';
const NAV: Nav = 'nav2_msgs/action/NavigateToPose';
const MS = 1_000_000n;

function goal(x: number, frame = 'map'): NavigateToPoseGoal {
  const stamp = new Time(0n).toMsg();
  const orientation = { x: 0, y: 0, z: 0, w: 1 };
  return {
    pose: { header: { stamp, frame_id: frame }, pose: { position: { x, y: 0, z: 0 }, orientation } },
    behavior_tree: '',
  };
}
function feedback(distance: number): NavigateToPoseFeedback {
  const zero = { sec: 0, nanosec: 0 };
  return {
    current_pose: goal(0).pose,
    navigation_time: zero,
    estimated_time_remaining: zero,
    number_of_recoveries: 0,
    distance_remaining: distance,
  };
}

async function navClient(b: ContractBackend, node: RosNode): Promise<ActionClient<Nav>> {
  const client = node.createActionClient(NAV, 'navigate_to_pose');
  await b.until(() => client.isActionServerAvailable(), 'the action server is discovered');
  return client;
}

export function servicesContract(backend: Backend): void {
  it('answers a request with the returned value, never inside sendRequest', async () => {
    const b = backend();
    let served = 0;
    b.graph.createNode('server').createService('std_srvs/srv/SetBool', '/safety/estop', (req) => {
      served++;
      return { success: true, message: req.data ? 'latched' : 'reset' };
    });
    const client = b.graph.createNode('client').createClient('std_srvs/srv/SetBool', '/safety/estop');
    await b.until(() => client.isServiceServerAvailable(), 'the service is discovered');
    const got: string[] = [];
    client.sendRequest({ data: true }, (res) => got.push(res.message));
    expect([served, got]).toEqual([0, []]);
    await b.until(() => got.length === 1, 'the response arrives');
    expect(got).toEqual(['latched']);
  });

  it('answers with response.send, later if the server wants, and only once', async () => {
    const b = backend();
    const pending: Array<() => void> = [];
    b.graph.createNode('server').createService('std_srvs/srv/Trigger', 'later', (_req, response) => {
      pending.push(() => {
        response.send({ success: true, message: 'first' });
        response.send({ success: false, message: 'second' });
      });
    });
    const client = b.graph.createNode('client').createClient('std_srvs/srv/Trigger', '/later');
    await b.until(() => client.isServiceServerAvailable(), 'the service is discovered');
    const got: string[] = [];
    client.sendRequest({}, (res) => got.push(res.message));
    await b.until(() => pending.length === 1, 'the request reaches the server');
    await b.settle();
    expect(got).toEqual([]);
    pending[0]!();
    await b.until(() => got.length === 1, 'the response arrives');
    await b.settle();
    expect(got).toEqual(['first']);
  });

  it('refuses a request at once when no server provides the service', () => {
    const b = backend();
    const client = b.graph.createNode('client').createClient('std_srvs/srv/Trigger', '/nobody');
    expect(client.isServiceServerAvailable()).toBe(false);
    expect(() => client.sendRequest({}, () => {})).toThrow(/service '\/nobody' is not available/);
  });
}

export function actionsContract(backend: Backend): void {
  it('accepts a goal, delivers its feedback and its succeeded result', async () => {
    const b = backend();
    const seen: number[] = [];
    b.graph.createNode('navigator').createActionServer(NAV, '/navigate_to_pose', {
      async execute(gh) {
        seen.push(gh.request.pose.pose.position.x);
        gh.publishFeedback(feedback(3));
        gh.publishFeedback(feedback(1));
        gh.succeed();
        return { error_code: 0, error_msg: 'arrived' };
      },
    });
    const client = await navClient(b, b.graph.createNode('mission'));
    const fb: number[] = [];
    const handle = await resolveOn(
      b,
      client.sendGoal(goal(7), (f) => fb.push(f.distance_remaining)),
      'goal',
    );
    expect(handle.accepted).toBe(true);
    const outcome = await resolveOn(b, handle.getResult(), 'the result');
    expect(outcome).toEqual({
      status: GoalStatus.STATUS_SUCCEEDED,
      result: { error_code: 0, error_msg: 'arrived' },
    });
    await b.until(() => fb.length === 2, 'both feedbacks arrive');
    expect([seen, fb, handle.status]).toEqual([[7], [3, 1], GoalStatus.STATUS_SUCCEEDED]);
  });

  it('reports an aborted goal with its result', async () => {
    const b = backend();
    b.graph.createNode('navigator').createActionServer(NAV, '/navigate_to_pose', {
      async execute(gh) {
        gh.abort();
        return { error_code: 104, error_msg: 'no path' };
      },
    });
    const client = await navClient(b, b.graph.createNode('mission'));
    const handle = await resolveOn(b, client.sendGoal(goal(1)), 'goal');
    expect(await resolveOn(b, handle.getResult(), 'the result')).toEqual({
      status: GoalStatus.STATUS_ABORTED,
      result: { error_code: 104, error_msg: 'no path' },
    });
  });

  it('reports a rejected goal without executing it, and it has no result', async () => {
    const b = backend();
    let executed = 0;
    b.graph.createNode('navigator').createActionServer(NAV, '/navigate_to_pose', {
      goal: (g) => (g.pose.header.frame_id === 'map' ? 'accept' : 'reject'),
      execute: async () => {
        executed++;
        return { error_code: 0, error_msg: '' };
      },
    });
    const client = await navClient(b, b.graph.createNode('mission'));
    const handle = await resolveOn(b, client.sendGoal(goal(1, 'odom')), 'the goal answered');
    await b.settle();
    expect([handle.accepted, handle.status, executed]).toEqual([false, GoalStatus.STATUS_UNKNOWN, 0]);
    await expect(handle.getResult()).rejects.toThrow(/was rejected; it has no result/);
  });

  it('cancels a running goal on request: CANCELING, then CANCELED, no feedback after', async () => {
    const b = backend();
    const server = b.graph.createNode('navigator');
    server.createActionServer(NAV, '/navigate_to_pose', {
      execute: (gh) =>
        new Promise((resolve) => {
          let step = 0;
          const timer = server.createTimer(100n * MS, () => {
            step++;
            if (!gh.isCancelRequested) return gh.publishFeedback(feedback(step));
            timer.cancel();
            gh.canceled();
            gh.publishFeedback(feedback(-1)); // dropped: the goal is over
            resolve({ error_code: 0, error_msg: 'cancelled' });
          });
        }),
    });
    const client = await navClient(b, b.graph.createNode('mission'));
    await b.advance(0n);
    const fb: number[] = [];
    const handle = await resolveOn(
      b,
      client.sendGoal(goal(1), (f) => fb.push(f.distance_remaining)),
      'goal',
    );
    await b.until(() => handle.status === GoalStatus.STATUS_EXECUTING, 'the goal executes');
    await b.advance(100n * MS);
    await b.until(() => fb.length === 1, 'the first feedback');
    await resolveOn(b, handle.cancelGoal(), 'the cancel answered');
    expect(handle.status).toBe(GoalStatus.STATUS_CANCELING);
    await b.advance(100n * MS);
    expect(await resolveOn(b, handle.getResult(), 'the result')).toEqual({
      status: GoalStatus.STATUS_CANCELED,
      result: { error_code: 0, error_msg: 'cancelled' },
    });
    await b.settle();
    expect(fb).toEqual([1]);
  });

  it('lets the server refuse a cancel request; the goal runs on to its end', async () => {
    const b = backend();
    let finish!: () => void;
    b.graph.createNode('navigator').createActionServer(NAV, '/navigate_to_pose', {
      execute: (gh) =>
        new Promise((resolve) => {
          finish = () => {
            gh.succeed();
            resolve({ error_code: 0, error_msg: '' });
          };
        }),
      cancel: () => 'reject',
    });
    const client = await navClient(b, b.graph.createNode('mission'));
    const handle = await resolveOn(b, client.sendGoal(goal(1)), 'goal');
    await b.until(() => handle.status === GoalStatus.STATUS_EXECUTING, 'the goal executes');
    await resolveOn(b, handle.cancelGoal(), 'the cancel answered');
    await b.settle();
    expect(handle.status).toBe(GoalStatus.STATUS_EXECUTING);
    finish();
    expect((await resolveOn(b, handle.getResult(), 'the result')).status).toBe(GoalStatus.STATUS_SUCCEEDED);
  });

  it('refuses a goal at once when no server provides the action', async () => {
    const b = backend();
    const client = b.graph.createNode('mission').createActionClient(NAV, '/navigate_to_pose');
    expect(client.isActionServerAvailable()).toBe(false);
    await expect(client.sendGoal(goal(1))).rejects.toThrow(/action '\/navigate_to_pose' is not available/);
  });
}
