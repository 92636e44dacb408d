import { describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock, TransformBuffer, header } from '../src/ros/index.js';
import { watchDistanceDriven } from './odometer.js';

describe('watchDistanceDriven', () => {
  it('tells the path length of odom → base_link as it grows, and ignores a jump', () => {
    const clock = new SimClock(0n);
    const ctx = new EmbeddedContext({ clock });
    const node = ctx.createNode('mission');
    const probe = ctx.createNode('base');
    const tf = probe.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
    const told: number[] = [];
    const watch = watchDistanceDriven(node, TransformBuffer.listen(node), (m) => told.push(m));
    const at = (x: number, y: number) =>
      tf.publish({
        transforms: [
          {
            header: header('odom', probe.now()),
            child_frame_id: 'base_link',
            transform: { translation: { x, y, z: 0 }, rotation: { x: 0, y: 0, z: 0, w: 1 } },
          },
        ],
      });
    const step = (x: number, y: number) => {
      at(x, y);
      clock.advanceTo(clock.nowNs() + 250_000_000n);
      ctx.spinSome();
    };
    // Out 1 m and back 1 m: 2 m driven, though it ends where it began.
    for (let i = 0; i <= 10; i++) step(i * 0.1, 0);
    for (let i = 9; i >= 0; i--) step(i * 0.1, 0);
    expect(told.at(-1)).toBeCloseTo(2, 6);
    expect(told.every((m, i) => i === 0 || m > told[i - 1]!)).toBe(true);
    // Carried 5 m (or odometry reset): no distance driven.
    step(5, 0);
    step(5, 0.2);
    expect(told.at(-1)).toBeCloseTo(2.2, 6);
    watch.stop();
  });
});
