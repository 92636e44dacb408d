/**
 * The contract for topics and names: what every backend delivers, to whom, and under which name.
 * A ROS 2 graph discovers its endpoints over the network, so a test waits for a publisher to see
 * its subscribers before it publishes (as a ROS program that must not lose the first message does).
 */
import { expect, it } from 'vitest';
import type { ContractBackend } from './backend.js';
import type { LaserScan, Publisher } from './ros.js';

type Backend = () => ContractBackend;
type Matchable = Pick<Publisher<'std_msgs/msg/String'>, 'topic' | 'subscriptionCount'>;

const LATCHED = { qos: { durability: 'transient_local' as const } };

function scan(ranges: number[]): LaserScan {
  return {
    header: { stamp: { sec: 1, nanosec: 2 }, frame_id: 'laser' },
    angle_min: -1,
    angle_max: 1,
    angle_increment: 1,
    time_increment: 0,
    scan_time: 0.1,
    range_min: 0.1,
    range_max: 10,
    ranges: Float32Array.from(ranges),
    intensities: new Float32Array(ranges.length),
  };
}

async function matched(b: ContractBackend, pub: Matchable, count: number): Promise<void> {
  await b.until(() => pub.subscriptionCount() === count, `${pub.topic}: ${count} subscription(s) matched`);
}

export function messagingContract(backend: Backend): void {
  it('delivers one publisher’s messages in order to each of several subscribers', async () => {
    const b = backend();
    const talker = b.graph.createNode('talker');
    const got: Record<string, string[]> = { a: [], b: [] };
    for (const name of ['a', 'b'] as const) {
      b.graph.createNode(`listener_${name}`).createSubscription('std_msgs/msg/String', '/chatter', (m) => {
        got[name]!.push(m.data);
      });
    }
    const pub = talker.createPublisher('std_msgs/msg/String', 'chatter');
    await matched(b, pub, 2);
    const sent = ['1', '2', '3', '4', '5'];
    for (const data of sent) pub.publish({ data });
    await b.until(() => got.a!.length === 5 && got.b!.length === 5, 'both listeners have all five');
    expect(got).toEqual({ a: sent, b: sent });
  });

  it('hands numeric arrays over as typed arrays, values intact', async () => {
    const b = backend();
    const node = b.graph.createNode('lidar');
    const got: LaserScan[] = [];
    node.createSubscription('sensor_msgs/msg/LaserScan', 'scan', (m) => got.push(m));
    const pub = node.createPublisher('sensor_msgs/msg/LaserScan', 'scan');
    await matched(b, pub, 1);
    pub.publish(scan([0.5, 1.25, Infinity]));
    await b.until(() => got.length === 1, 'the scan arrives');
    expect(got[0]!.ranges).toBeInstanceOf(Float32Array);
    expect(Array.from(got[0]!.ranges)).toEqual([0.5, 1.25, Infinity]);
    expect(got[0]!.header.frame_id).toBe('laser');
  });

  it('replays the last latched message to a late transient_local subscriber, once', async () => {
    const b = backend();
    const pub = b.graph.createNode('map_server').createPublisher('std_msgs/msg/String', '/map_name', LATCHED);
    pub.publish({ data: 'v1' });
    pub.publish({ data: 'v2' });
    await b.settle();
    const late = b.graph.createNode('late');
    const latched: string[] = [];
    late.createSubscription('std_msgs/msg/String', '/map_name', LATCHED, (m) => latched.push(m.data));
    await b.until(() => latched.length === 1, 'the late subscriber has the last message');
    // A volatile subscriber joining late gets only what comes after it, as in DDS.
    const volatile: string[] = [];
    late.createSubscription('std_msgs/msg/String', '/map_name', (m) => volatile.push(m.data));
    await matched(b, pub, 2);
    await b.settle();
    expect(volatile).toEqual([]);
    pub.publish({ data: 'v3' });
    await b.until(() => volatile.length === 1 && latched.length === 2, 'v3 reaches both');
    await b.settle();
    expect(latched).toEqual(['v2', 'v3']);
    expect(volatile).toEqual(['v3']);
  });

  it('does not deliver to a subscription what a volatile publisher sent before it', async () => {
    const b = backend();
    const node = b.graph.createNode('n');
    const pub = node.createPublisher('std_msgs/msg/String', '/t');
    pub.publish({ data: 'early' });
    await b.settle();
    const got: string[] = [];
    node.createSubscription('std_msgs/msg/String', '/t', (m) => got.push(m.data));
    await matched(b, pub, 1);
    pub.publish({ data: 'late' });
    await b.until(() => got.length === 1, 'the late message arrives');
    await b.settle();
    expect(got).toEqual(['late']);
  });

  it('resolves absolute, relative, private and namespaced names', () => {
    const b = backend();
    const gate = b.graph.createNode('gate', '/robot1');
    expect(gate.namespace()).toBe('/robot1');
    expect(gate.createPublisher('std_msgs/msg/String', 'state').topic).toBe('/robot1/state');
    expect(gate.createPublisher('std_msgs/msg/String', '~/debug').topic).toBe('/robot1/gate/debug');
    expect(gate.createPublisher('std_msgs/msg/String', '/scan_state').topic).toBe('/scan_state');
    expect(gate.createSubscription('std_msgs/msg/String', 'cmd', () => {}).topic).toBe('/robot1/cmd');
    const reset = gate.createService('std_srvs/srv/Trigger', 'reset', () => ({ success: true, message: '' }));
    expect(reset.serviceName).toBe('/robot1/reset');
    // rcl makes a relative namespace absolute.
    const other = b.graph.createNode('gate', 'robot2');
    expect(other.namespace()).toBe('/robot2');
    expect(b.graph.createNode('root').createPublisher('std_msgs/msg/String', 'scan_state').topic).toBe(
      '/scan_state',
    );
  });

  it('refuses an invalid node name and a second node of the same name and namespace', () => {
    const b = backend();
    b.graph.createNode('gate');
    expect(() => b.graph.createNode('gate')).toThrow(/a node named 'gate' already exists in '\/'/);
    expect(() => b.graph.createNode('gate', '/other')).not.toThrow();
    expect(() => b.graph.createNode('9lives')).toThrow(/invalid node name '9lives'/);
  });

  it('lists every topic with its type, a topic with only subscribers too, sorted by name', async () => {
    const b = backend();
    const node = b.graph.createNode('n');
    node.createPublisher('geometry_msgs/msg/Twist', '/cmd_vel');
    node.createSubscription('sensor_msgs/msg/LaserScan', 'scan', () => {});
    const wanted = [
      { name: '/cmd_vel', types: ['geometry_msgs/msg/Twist'] },
      { name: '/scan', types: ['sensor_msgs/msg/LaserScan'] },
    ];
    const listed = () => node.getTopicNamesAndTypes();
    const has = (t: { name: string; types: string[] }) =>
      listed().some((x) => x.name === t.name && x.types.join() === t.types.join());
    await b.until(() => wanted.every(has), 'both topics discovered');
    expect(listed()).toEqual(expect.arrayContaining(wanted));
    const names = listed().map((t) => t.name);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
  });
}
