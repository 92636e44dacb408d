import { describe, expect, it } from 'vitest';
import { EmbeddedContext, SimClock, TransformBuffer, header } from '../src/ros/index.js';
import { DEFAULT_WAY_PARAMS, someoneAhead, watchTheWay, wayHeading } from './way-watch.js';

/** A plan along +x from (0, 0) to (6, 0), a point every 0.1 m. */
const STRAIGHT = Array.from({ length: 61 }, (_, i) => ({ x: i * 0.1, y: 0 }));

describe('wayHeading', () => {
  it('points along the plan, whichever way the robot faces', () => {
    expect(wayHeading({ x: 2, y: 0, yaw: Math.PI }, STRAIGHT, 1)).toBeCloseTo(0, 6);
  });

  it('follows a bend a metre on and steers back to a plan the robot is beside', () => {
    const bend = [
      ...Array.from({ length: 11 }, (_, i) => ({ x: i * 0.1, y: 0 })),
      ...Array.from({ length: 10 }, (_, i) => ({ x: 1, y: (i + 1) * 0.1 })),
    ];
    // At (0.5, 0): the point 1 m on is (1, 0.5), up and to the left.
    expect(wayHeading({ x: 0.5, y: 0, yaw: 0 }, bend, 1)).toBeCloseTo(Math.atan2(0.5, 0.5), 6);
    // Half a metre beside the start of a straight plan: towards (1, 0).
    expect(wayHeading({ x: 0, y: 0.5, yaw: 0 }, STRAIGHT, 1)).toBeCloseTo(Math.atan2(-0.5, 1), 6);
  });

  it('falls back to the robot heading with no plan or at its end', () => {
    expect(wayHeading({ x: 0, y: 0, yaw: 1.2 }, [], 1)).toBe(1.2);
    expect(wayHeading({ x: 6, y: 0, yaw: -0.4 }, STRAIGHT, 1)).toBe(-0.4);
  });
});

describe('someoneAhead', () => {
  const lane = { aheadM: 2.2, halfLaneM: 0.75 };
  it('sees a person in the lane ahead, not beside, behind or far ahead', () => {
    const robot = { x: 0, y: 0, yaw: 0 };
    expect(someoneAhead(robot, [{ x: 1, y: 0.5 }], lane)).toBe(true);
    expect(someoneAhead(robot, [{ x: 1, y: 0.9 }], lane)).toBe(false);
    expect(someoneAhead(robot, [{ x: -1, y: 0 }], lane)).toBe(false);
    expect(someoneAhead(robot, [{ x: 2.5, y: 0 }], lane)).toBe(false);
  });
});

describe('watchTheWay', () => {
  /** Robot at (2, 0) facing `yaw`, a person at `person`, the straight plan, for `seconds`. */
  function run(yaw: number, person: { x: number; y: number }, seconds: number, withPlan = true) {
    const clock = new SimClock(0n);
    const ctx = new EmbeddedContext({ clock });
    const node = ctx.createNode('mission');
    const world = ctx.createNode('world');
    const tf = world.createPublisher('tf2_msgs/msg/TFMessage', '/tf');
    const people = world.createPublisher('people_msgs/msg/People', '/people');
    const plan = world.createPublisher('nav_msgs/msg/Path', '/plan');
    const told: boolean[] = [];
    const watch = watchTheWay(
      node,
      TransformBuffer.listen(node),
      () => 'waiting_for_customer',
      (b) => told.push(b),
    );
    if (withPlan)
      plan.publish({
        header: header('map', world.now()),
        poses: STRAIGHT.map((p) => ({
          header: header('map', world.now()),
          pose: { position: { ...p, z: 0 }, orientation: { x: 0, y: 0, z: 0, w: 1 } },
        })),
      });
    for (let t = 0; t < seconds; t += 0.25) {
      tf.publish({
        transforms: [
          {
            header: header('map', world.now()),
            child_frame_id: 'base_link',
            transform: {
              translation: { x: 2, y: 0, z: 0 },
              rotation: { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) },
            },
          },
        ],
      });
      people.publish({
        header: header('map', world.now()),
        people: [
          {
            name: '1',
            position: { ...person, z: 0 },
            velocity: { x: 0, y: 0, z: 0 },
            reliability: 1,
            tagnames: [],
            tags: [],
          },
        ],
      });
      clock.advanceTo(clock.nowNs() + 250_000_000n);
      ctx.spinSome();
    }
    watch.stop();
    return told;
  }

  it('tells the way blocked after a stall with someone ahead along the plan', () => {
    expect(run(0, { x: 3, y: 0 }, DEFAULT_WAY_PARAMS.stallS + 1)).toEqual([true]);
  });

  it('needs the stall first', () => {
    expect(run(0, { x: 3, y: 0 }, DEFAULT_WAY_PARAMS.stallS - 1)).toEqual([]);
  });

  it('does not take the customer behind for someone in the way when the robot turned to look', () => {
    expect(run(Math.PI, { x: 1, y: 0 }, 8)).toEqual([]);
  });

  it('takes someone where it must pass for in the way though the robot faces back', () => {
    expect(run(Math.PI, { x: 3, y: 0 }, 8)).toEqual([true]);
  });

  it('judges by the robot heading without a plan', () => {
    expect(run(Math.PI, { x: 1, y: 0 }, 8, false)).toEqual([true]);
  });
});
