import { describe, expect, it } from 'vitest';
import {
  EmbeddedContext,
  SimClock,
  durationMsgToSeconds,
  header,
  secondsToNs,
  type CustomerFollow,
} from '../ros/index.js';
import { REAR_CAMERA, placementToBox } from './camera-model.js';
import { PerceptionError } from './errors.js';
import { REAR_DETECTIONS_TOPIC, createFollowNode, detectionsToMsg } from './follow-node.js';

const FRAME_NS = 100_000_000n;

function graph(params: Record<string, number> = {}) {
  const clock = new SimClock(secondsToNs(100));
  const ctx = new EmbeddedContext({ clock, parameterOverrides: { customer_follow: params } });
  const node = ctx.createNode('customer_follow');
  const follow = createFollowNode(node);
  const probe = ctx.createNode('probe');
  const heard: Array<{ t: number; msg: CustomerFollow }> = [];
  probe.createSubscription('medhjalparen_msgs/msg/CustomerFollow', '/guide/customer', (msg) =>
    heard.push({ t: Number(clock.nowNs()) / 1e9 - 100, msg }),
  );
  const status = probe.createPublisher('medhjalparen_msgs/msg/GuideStatus', '/guide/status');
  const detections = probe.createPublisher('vision_msgs/msg/Detection2DArray', REAR_DETECTIONS_TOPIC);
  /** The customer's face 1.2 m straight behind, as the rear camera's detector would report it. */
  const frame = () => {
    const box = placementToBox(REAR_CAMERA, { bearing: Math.PI, range: 1.2 })!;
    detections.publish(detectionsToMsg([{ box, score: 0.9 }], probe.now().toMsg(), 'rear_camera'));
  };
  return {
    follow,
    heard,
    escort() {
      status.publish({
        header: header('', probe.now()),
        state: 'escorting',
        request_id: 'r',
        destination_id: 'kela',
        reason: '',
      });
    },
    /** Steps 100 ms at a time for `seconds`, sending a camera frame each step when `camera`. */
    run(seconds: number, camera: boolean) {
      for (let i = 0; i < Math.round(seconds * 10); i++) {
        clock.advanceTo(clock.nowNs() + FRAME_NS);
        if (camera) frame();
        ctx.spinSome();
      }
    },
  };
}

describe('customer follow node', () => {
  it('says the customer is lost when the rear camera goes quiet during an escort', () => {
    const g = graph();
    g.escort();
    g.run(2, true);
    const seen = g.heard.at(-1)!.msg;
    expect(seen).toMatchObject({ bound: true, visible: true });
    const before = g.heard.length;
    g.run(3, false); // the camera stops sending
    const quiet = g.heard.slice(before);
    // One message per camera timeout (1 s), each bound, not visible, lost for longer.
    expect(quiet.map((h) => h.msg.visible)).toEqual([false, false, false]);
    expect(quiet.every((h) => h.msg.bound)).toBe(true);
    const lost = quiet.map((h) => durationMsgToSeconds(h.msg.lost_for));
    expect(lost[0]).toBeGreaterThanOrEqual(1);
    expect(lost[2]! - lost[0]!).toBeCloseTo(2, 6);
    expect(quiet.at(-1)!.msg.distance_behind).toBeCloseTo(1.2, 1);
    // Frames again: seen again, and the watchdog stays quiet (one message per frame).
    const resumed = g.heard.length;
    g.run(1, true);
    expect(g.heard.length - resumed).toBe(10);
    expect(g.heard.at(-1)!.msg.visible).toBe(true);
  });

  it('also reports a customer it never saw when no frame comes at all (not "no perception")', () => {
    const g = graph();
    g.escort();
    g.run(3.5, false); // the watchdog looks once a timeout: reports at 2 s and 3 s
    expect(g.heard.map((h) => h.msg)).toMatchObject([
      { bound: true, visible: false },
      { bound: true, visible: false },
    ]);
  });

  it('says nothing while no escort is on, camera or not', () => {
    const g = graph();
    g.run(3, false);
    expect(g.heard).toEqual([]);
  });

  it('refuses a camera timeout that is not a positive number, naming the parameter', () => {
    expect(() => graph({ 'follow.camera_timeout_s': 0 })).toThrow(PerceptionError);
    expect(() => graph({ 'follow.camera_timeout_s': 0 })).toThrow(
      /follow\.camera_timeout_s: expected a number > 0/,
    );
  });
});
