import { describe, expect, it } from 'vitest';
import { EmbeddedContext } from './embedded.js';
import { SimClock } from './clock.js';
import { yawToQuaternion } from './geometry.js';
import type { TransformStamped } from './messages.js';
import { TransformBuffer } from './tf.js';
import { nsToTimeMsg } from './time.js';

function tf(
  parent: string,
  child: string,
  x: number,
  y: number,
  yaw: number,
  stampNs: bigint,
): TransformStamped {
  return {
    header: { stamp: nsToTimeMsg(stampNs), frame_id: parent },
    child_frame_id: child,
    transform: { translation: { x, y, z: 0 }, rotation: yawToQuaternion(yaw) },
  };
}

describe('TransformBuffer', () => {
  it('chains map → odom → base_link and reports the oldest stamp on the chain', () => {
    const buffer = new TransformBuffer();
    buffer.setTransforms([
      // localisation: odom drifted 1 m along x and turned a quarter turn
      tf('map', 'odom', 1, 0, Math.PI / 2, 100n),
      tf('odom', 'base_link', 2, 0, 0, 250n),
    ]);
    const found = buffer.lookup('map', 'base_link');
    expect(found).toBeDefined();
    expect(found!.pose.x).toBeCloseTo(1, 12);
    expect(found!.pose.y).toBeCloseTo(2, 12);
    expect(found!.pose.yaw).toBeCloseTo(Math.PI / 2, 12);
    expect(found!.stampNs).toBe(100n);

    const inOdom = buffer.lookup('odom', 'base_link');
    expect(inOdom!.pose).toEqual({ x: 2, y: 0, yaw: 0 });
    expect(inOdom!.stampNs).toBe(250n);
  });

  it('keeps the newest transform per child frame', () => {
    const buffer = new TransformBuffer();
    buffer.setTransforms([tf('odom', 'base_link', 1, 0, 0, 1n)]);
    buffer.setTransforms([tf('odom', 'base_link', 3, 0, 0, 2n)]);
    expect(buffer.lookup('odom', 'base_link')).toEqual({ pose: { x: 3, y: 0, yaw: 0 }, stampNs: 2n });
  });

  it('answers identity for a frame in itself and undefined while the chain is incomplete', () => {
    const buffer = new TransformBuffer();
    expect(buffer.lookup('map', 'map')).toEqual({ pose: { x: 0, y: 0, yaw: 0 }, stampNs: 0n });
    buffer.setTransforms([tf('odom', 'base_link', 1, 0, 0, 1n)]);
    expect(buffer.lookup('map', 'base_link')).toBeUndefined();
    expect(buffer.lookup('base_link', 'odom')).toBeUndefined();
  });

  it('gives up on a cycle instead of looping forever', () => {
    const buffer = new TransformBuffer();
    buffer.setTransforms([tf('a', 'b', 1, 0, 0, 1n), tf('b', 'a', 1, 0, 0, 1n)]);
    expect(buffer.lookup('map', 'a')).toBeUndefined();
  });

  it('listens on /tf and on latched /tf_static through a node', () => {
    const clock = new SimClock();
    const ctx = new EmbeddedContext({ clock });
    const sim = ctx.createNode('sim');
    const staticPub = sim.createPublisher('tf2_msgs/msg/TFMessage', '/tf_static', {
      qos: { durability: 'transient_local' },
    });
    staticPub.publish({ transforms: [tf('map', 'odom', 0.5, -0.5, 0, 0n)] });
    ctx.spinSome();
    // The listener starts after /tf_static went out: the latched message still reaches it.
    const buffer = TransformBuffer.listen(ctx.createNode('navigator'));
    sim.createPublisher('tf2_msgs/msg/TFMessage', '/tf').publish({
      transforms: [tf('odom', 'base_link', 1, 1, 0, 10n)],
    });
    expect(buffer.lookup('map', 'base_link')).toBeUndefined();
    ctx.spinSome();
    expect(buffer.lookup('map', 'base_link')).toEqual({ pose: { x: 1.5, y: 0.5, yaw: 0 }, stampNs: 0n });
  });
});
