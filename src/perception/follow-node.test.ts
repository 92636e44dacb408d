import { describe, expect, it } from 'vitest';
import {
  EmbeddedContext,
  SimClock,
  durationMsgToSeconds,
  header,
  secondsToNs,
  type People,
} from '../ros/index.js';
import { type CustomerFollow } from '../interfaces/index.js';
import { REAR_CAMERA, boxToPlacement, placementToBox } from './camera-model.js';
import { PerceptionError } from './errors.js';
import {
  REAR_DETECTIONS_TOPIC,
  REAR_PEOPLE_TOPIC,
  createFollowNode,
  detectionsFromMsg,
  detectionsToMsg,
} from './follow-node.js';

const FRAME_NS = 100_000_000n;

function graph(params: Record<string, number> = {}) {
  const clock = new SimClock(secondsToNs(100));
  const ctx = new EmbeddedContext({ clock, parameterOverrides: { customer_follow: params } });
  const node = ctx.createNode('customer_follow');
  const follow = createFollowNode(node);
  const probe = ctx.createNode('probe');
  const heard: Array<{ t: number; msg: CustomerFollow }> = [];
  const people: People[] = [];
  probe.createSubscription('people_msgs/msg/People', REAR_PEOPLE_TOPIC, (msg) => people.push(msg));
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
    people,
    escort() {
      status.publish({
        header: header('', probe.now()),
        state: 'escorting',
        request_id: 'r',
        destination_id: 'kela',
        reason: '',
        why: '',
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

  it('publishes the face tracks as people in base_link, one stable id per person', () => {
    const g = graph();
    g.run(1, true);
    expect(g.people).toHaveLength(10);
    const tracked = g.people.filter((p) => p.people.length > 0);
    // Confirmed after the tracker's minimum hits, then the same id every frame.
    expect(tracked.length).toBeGreaterThanOrEqual(7);
    expect(new Set(tracked.map((p) => p.people[0]!.name)).size).toBe(1);
    const last = tracked.at(-1)!;
    expect(last.header.frame_id).toBe('base_link');
    const person = last.people[0]!;
    expect(person.position.x).toBeCloseTo(-1.2, 1);
    expect(person.position.y).toBeCloseTo(0, 1);
    expect(person.position.z).toBe(REAR_CAMERA.faceHeightM);
    expect(person.tagnames).toEqual(['bearing', 'range', 'seen']);
    expect(Math.abs(Number(person.tags[0]))).toBeCloseTo(Math.PI, 2);
    expect(Number(person.tags[1])).toBeCloseTo(1.2, 1);
    expect(person.tags[2]).toBe('true');
  });
});

describe('detections on the wire', () => {
  it('carry the face position in the optical frame, consistent with bearing and range', () => {
    const placement = { bearing: Math.PI - 0.3, range: 2.0 };
    const box = placementToBox(REAR_CAMERA, placement)!;
    const msg = detectionsToMsg([{ box, score: 0.8 }], { sec: 1, nanosec: 0 }, 'rear_camera');
    const result = msg.detections[0]!.results[0]!;
    const { x, y, z } = result.pose.pose.position;
    // Left of the axis seen from behind the robot is the image's right: +x; a face above the
    // tilted axis: −y; depth along the axis about the range less the camera's offset.
    expect(x).toBeGreaterThan(0);
    expect(z).toBeGreaterThan(1.5);
    expect(z).toBeLessThan(2.0);
    expect(Math.abs(y)).toBeLessThan(0.3);
    // The covariance says ±15 % in depth and that orientation is unknown.
    expect(result.pose.covariance[14]).toBeCloseTo((0.15 * z) ** 2, 9);
    expect(result.pose.covariance[35]).toBeGreaterThan(1e5);
    // And what comes back off the wire ranges the same.
    const back = boxToPlacement(REAR_CAMERA, detectionsFromMsg(msg)[0]!.box);
    expect(back.range).toBeCloseTo(placement.range, 6);
    expect(back.bearing).toBeCloseTo(placement.bearing, 6);
  });
});
