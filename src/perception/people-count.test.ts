import { describe, expect, it } from 'vitest';
import {
  EmbeddedContext,
  SimClock,
  durationMsgToSeconds,
  nsToTimeMsg,
  timeMsgToNs,
  type Logger,
} from '../ros/index.js';
import { type PeopleCount } from '../interfaces/index.js';
import { PerceptionError } from './errors.js';
import { REAR_DETECTIONS_TOPIC, createFollowNode, detectionsToMsg } from './follow-node.js';
import {
  PEOPLE_COUNT_TOPIC,
  PeopleCounter,
  createPeopleCountNode,
  type PeopleCountBin,
  type PeopleCountFields,
} from './people-count.js';
import type { Detection } from './tracker.js';

const S = 1_000_000_000n;
const FRAME_NS = 100_000_000n; // a 10 Hz camera
const at = (frame: number) => BigInt(frame) * FRAME_NS;

/** A face box at (x, y) px, 40 px square, confidently detected. */
const face = (x: number, y = 200, size = 40): Detection => ({
  box: { x, y, width: size, height: size },
  score: 0.9,
});

/** Three fixed seats, far apart: detections there match their own track frame after frame. */
const SEATS = [face(50), face(300), face(550)];
const seated = (n: number): Detection[] => SEATS.slice(0, n);

/**
 * A tracker that confirms on the first hit and forgets on the first miss: in_view is then exactly
 * the detections in the frame, so hand-built frames give hand-computed counts.
 */
const EXACT = { tracker: { minHits: 1, maxAge: 1 } };

/** Every leaf of a value: numbers and bigints are the only things counts may be made of. */
function leaves(v: unknown, path = '$', out: { path: string; type: string }[] = []): typeof out {
  if (v !== null && typeof v === 'object') {
    for (const [k, child] of Object.entries(v)) leaves(child, `${path}.${k}`, out);
  } else out.push({ path, type: typeof v });
  return out;
}

describe('PeopleCounter counts', () => {
  it('gives exact frames, mean and max over hand-built frames, and in_view of the newest', () => {
    const c = new PeopleCounter(EXACT);
    const inView = [0, 1, 2, 3, 2, 1];
    inView.forEach((n, i) => c.update(seated(n), at(i)));
    const snap = c.snapshot(at(5));
    expect(snap).toEqual({
      window: nsToTimeMsg(at(5)), // since the first frame's sub-bin, 0.5 s
      frames: 6,
      in_view: 1,
      mean_in_view: 9 / 6,
      max_in_view: 3,
      new_people: 3, // one per seat, each counted when first confirmed
    });
  });

  it('slides the window: old frames, maxima and new people age out', () => {
    const c = new PeopleCounter({ ...EXACT, window_s: 60 });
    // 1 Hz: two people seated for t = 0…30 s, then nobody; snapshots taken as time goes on.
    const snaps = new Map<number, PeopleCountFields>();
    for (let t = 0; t <= 100; t++) {
      c.update(seated(t <= 30 ? 2 : 0), BigInt(t) * S);
      snaps.set(t, c.snapshot(BigInt(t) * S));
    }
    const at30 = snaps.get(30)!;
    expect(durationMsgToSeconds(at30.window)).toBe(30); // not yet a full minute of frames
    expect(at30).toMatchObject({ frames: 31, in_view: 2, mean_in_view: 2, max_in_view: 2, new_people: 2 });

    // Sub-bins of 1 s starting at or after now − 60 s: t = 0…60 is 61 frames.
    expect(snaps.get(60)).toMatchObject({ frames: 61, max_in_view: 2, new_people: 2 });
    // One second later the frame at t = 0, where both were confirmed, has left the window.
    expect(snaps.get(61)).toMatchObject({ frames: 61, max_in_view: 2, new_people: 0 });
    const at75 = snaps.get(75)!;
    expect(at75.mean_in_view).toBe((16 * 2) / 61); // t = 15…30 had two each
    expect(durationMsgToSeconds(at75.window)).toBe(60);
    expect(snaps.get(100)).toMatchObject({
      frames: 61,
      in_view: 0,
      mean_in_view: 0,
      max_in_view: 0,
      new_people: 0,
    });
    // Between frames, the window slides with `now`: at 100.5 s it starts at 41 s.
    expect(c.snapshot(100n * S + S / 2n)).toMatchObject({ frames: 60, window: { sec: 59, nanosec: 5e8 } });
    // Long after the last frame: nothing in the window, not even the newest frame's in_view.
    c.update(seated(2), 101n * S);
    expect(c.snapshot(500n * S)).toMatchObject({ frames: 0, in_view: 0, max_in_view: 0 });
  });

  it('reports zeros and an empty window before the first frame', () => {
    expect(new PeopleCounter().snapshot(10n * S)).toEqual({
      window: { sec: 0, nanosec: 0 },
      frames: 0,
      in_view: 0,
      mean_in_view: 0,
      max_in_view: 0,
      new_people: 0,
    });
  });

  it('counts one person walking across the image over many frames as one new person', () => {
    const c = new PeopleCounter();
    for (let i = 0; i < 80; i++) c.update([face(20 + 7 * i, 200 + (i % 3))], at(i)); // ~7 px a frame
    for (let i = 80; i < 100; i++) c.update([], at(i)); // gone; the track coasts, then is dropped
    const snap = c.snapshot(at(99));
    expect(snap.new_people).toBe(1);
    expect(snap.max_in_view).toBe(1);
    expect(snap.in_view).toBe(0);
    expect(c.footprint().trackIds).toBe(0); // its id is forgotten with its track
  });

  it('counts two people walking in opposite directions, crossing rows apart, as two', () => {
    const c = new PeopleCounter();
    for (let i = 0; i < 80; i++) c.update([face(20 + 7 * i, 100), face(580 - 7 * i, 330)], at(i));
    const snap = c.snapshot(at(79));
    expect(snap.new_people).toBe(2);
    expect(snap.max_in_view).toBe(2);
    expect(snap.in_view).toBe(2);
  });

  it('counts nobody for a false positive seen in one frame (never confirmed)', () => {
    const c = new PeopleCounter();
    for (let i = 0; i < 30; i++) c.update(i === 10 ? [face(400, 50, 30)] : [], at(i));
    expect(c.snapshot(at(29))).toMatchObject({ frames: 30, new_people: 0, max_in_view: 0, mean_in_view: 0 });
  });

  it('does not count detections below the tracker score threshold', () => {
    const c = new PeopleCounter();
    for (let i = 0; i < 30; i++) c.update([{ ...face(300), score: 0.3 }], at(i));
    expect(c.snapshot(at(29)).new_people).toBe(0);
  });

  it('ignores a frame stamped at or before the previous one and counts it as dropped', () => {
    const c = new PeopleCounter(EXACT);
    c.update(seated(1), at(10));
    c.update(seated(3), at(10)); // the same stamp again
    c.update(seated(3), at(5)); // out of order
    c.update(seated(2), at(11));
    expect(c.dropped).toBe(2);
    expect(c.snapshot(at(11))).toMatchObject({ frames: 2, max_in_view: 2, new_people: 2, in_view: 2 });
  });

  it('resets the tracker after a long pause: the same place after the pause is a new pass', () => {
    const c = new PeopleCounter({ track_reset_gap_s: 2 });
    for (let i = 0; i < 10; i++) c.update([face(300)], at(i));
    for (let i = 40; i < 50; i++) c.update([face(300)], at(i)); // 3 s later, same box
    expect(c.snapshot(at(49)).new_people).toBe(2);
    const short = new PeopleCounter({ track_reset_gap_s: 5 });
    for (let i = 0; i < 10; i++) short.update([face(300)], at(i));
    for (let i = 15; i < 25; i++) short.update([face(300)], at(i)); // 0.6 s gap: the track coasts over it
    expect(short.snapshot(at(24)).new_people).toBe(1);
  });
});

describe('PeopleCounter on tracks from elsewhere', () => {
  it('counts track ids as its own tracker would: each id once, in view per frame, stale frames dropped', () => {
    const c = new PeopleCounter();
    for (let i = 1; i <= 10; i++) c.countTracks(['7'], at(i));
    for (let i = 11; i <= 20; i++) c.countTracks(['7', '9'], at(i));
    c.countTracks(['9'], at(21));
    c.countTracks(['9', '7'], at(15)); // older than the last frame: dropped
    const counts = c.snapshot(at(21));
    expect(counts).toMatchObject({ frames: 21, in_view: 1, max_in_view: 2, new_people: 2 });
    expect(counts.mean_in_view).toBeCloseTo((10 + 20 + 1) / 21, 12);
    expect(c.dropped).toBe(1);
    expect(c.footprint().trackIds).toBe(1);
  });
});

describe('PeopleCounter history', () => {
  it('rolls minute bins over, oldest first, and fills silent minutes with empty bins', () => {
    const c = new PeopleCounter({ ...EXACT, history_minutes: 10 });
    for (let i = 0; i < 600; i++) c.update(seated(1), 60n * S + at(i)); // minute 1: one person
    for (let i = 0; i < 300; i++) c.update(seated(i < 150 ? 2 : 3), 120n * S + at(i)); // minute 2, half
    for (let i = 0; i < 10; i++) c.update([], 300n * S + at(i)); // minute 5, after two silent ones
    const h = c.history();
    expect(h.map((b) => b.startNs)).toEqual([60n * S, 120n * S, 180n * S, 240n * S, 300n * S]);
    expect(h[0]).toEqual({ startNs: 60n * S, frames: 600, meanInView: 1, maxInView: 1, newPeople: 1 });
    expect(h[1]).toEqual({ startNs: 120n * S, frames: 300, meanInView: 2.5, maxInView: 3, newPeople: 2 });
    expect(h[2]).toEqual({ startNs: 180n * S, frames: 0, meanInView: 0, maxInView: 0, newPeople: 0 });
    expect(h[4]!.frames).toBe(10);
  });

  it('stays bounded over more minutes than it keeps, with people coming and going all the time', () => {
    const minutes = 5;
    const c = new PeopleCounter({ history_minutes: minutes, window_s: 10 });
    const frames = 12 * 600; // 12 minutes at 10 Hz
    let maxIds = 0;
    for (let i = 0; i < frames; i++) {
      // A new walker every 4 s, each crossing for 2.5 s: 1 in view most of the time, 0 between.
      const phase = i % 40;
      c.update(phase < 25 ? [face(30 + 20 * phase)] : [], at(i));
      maxIds = Math.max(maxIds, c.footprint().trackIds);
    }
    const h = c.history();
    expect(h).toHaveLength(minutes);
    expect(h.map((b) => b.startNs)).toEqual([7n, 8n, 9n, 10n, 11n].map((m) => m * 60n * S));
    for (const b of h) {
      expect(b.frames).toBe(600);
      expect(b.newPeople).toBe(15); // one walker per 4 s
    }
    expect(c.footprint()).toMatchObject({ windowBins: 11, historyBins: minutes });
    expect(maxIds).toBe(1);
    // A day-long silence does not grow the ring either.
    c.update([], at(frames) + 24n * 3600n * S);
    expect(c.history()).toHaveLength(minutes);
    expect(c.history().at(-1)!.frames).toBe(1);
    expect(c.footprint().historyBins).toBe(minutes);
  });
});

describe('PeopleCounter options', () => {
  const err = (options: ConstructorParameters<typeof PeopleCounter>[0]): PerceptionError => {
    try {
      new PeopleCounter(options);
    } catch (e) {
      if (e instanceof PerceptionError) return e;
      throw e;
    }
    throw new Error('expected a PerceptionError');
  };

  it.each([
    [{ window_s: 0 }, 'people_count.window_s', /expected a finite number > 0, found 0/],
    [{ window_s: Number.NaN }, 'people_count.window_s', /found NaN/],
    [{ history_minutes: 0 }, 'people_count.history_minutes', /expected an integer ≥ 1, found 0/],
    [{ history_minutes: 1.5 }, 'people_count.history_minutes', /found 1.5/],
    [{ window_resolution_s: -1 }, 'people_count.window_resolution_s', /> 0, found -1/],
    [{ window_resolution_s: 90 }, 'people_count.window_resolution_s', /at most window_s \(60\), found 90/],
    [{ window_s: 3600, window_resolution_s: 0.1 }, 'people_count.window_resolution_s', /at least window_s/],
    [{ window_s: 1, window_resolution_s: 0.0001 }, 'people_count.window_resolution_s', /at least 0.001 s/],
    [{ track_reset_gap_s: Infinity }, 'people_count.track_reset_gap_s', /found Infinity/],
  ])('refuses %o, naming the field', (options, where, what) => {
    const e = err(options);
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.where).toBe(where);
    expect(e.message).toMatch(what);
    expect(e.message.startsWith(`${where}: `)).toBe(true);
  });
});

describe('privacy: counts are numbers only', () => {
  it('the snapshot, the history and the footprint hold numbers and bigints, no boxes or scores', () => {
    const c = new PeopleCounter();
    for (let i = 0; i < 1300; i++) c.update([face(20 + (i % 80) * 7), face(300, 350)], at(i));
    const snap: PeopleCountFields = c.snapshot(at(1299));
    const hist: PeopleCountBin[] = c.history();
    expect(hist.length).toBe(3);
    const all = [
      ...leaves(snap, 'snapshot'),
      ...leaves(hist, 'history'),
      ...leaves(c.footprint(), 'footprint'),
    ];
    for (const leaf of all) expect(['number', 'bigint'], leaf.path).toContain(leaf.type);
    const keys = new Set(all.map((l) => l.path.split('.').at(-1)));
    for (const k of ['box', 'x', 'y', 'width', 'height', 'score', 'id']) expect(keys.has(k)).toBe(false);
  });
});

describe('people count node on the embedded graph', () => {
  function graph(launch: Record<string, number> = {}) {
    const clock = new SimClock(1000n * S);
    const logs: { msg: string; fields: Record<string, unknown> | undefined }[] = [];
    const logger = (name: string): Logger => {
      const rec = (msg: string, fields?: Record<string, unknown>) => {
        if (name === 'people_count') logs.push({ msg, fields });
      };
      return { debug: () => {}, info: rec, warn: rec, error: rec };
    };
    const ctx = new EmbeddedContext({ clock, logger, parameterOverrides: { people_count: launch } });
    const node = ctx.createNode('people_count');
    // The robot's tracker: the follow node turns detections into the tracks the count is made of.
    createFollowNode(ctx.createNode('customer_follow'));
    const camera = ctx
      .createNode('camera')
      .createPublisher('vision_msgs/msg/Detection2DArray', REAR_DETECTIONS_TOPIC);
    const received: PeopleCount[] = [];
    ctx
      .createNode('console')
      .createSubscription('medhjalparen_msgs/msg/PeopleCount', PEOPLE_COUNT_TOPIC, (m) => received.push(m));
    /** Steps 10 Hz frames for `frames` frames, detections from `scene(frame)`. */
    const run = (frames: number, scene: (frame: number) => Detection[]) => {
      for (let i = 0; i < frames; i++) {
        const t = clock.nowNs() + FRAME_NS;
        clock.advanceTo(t);
        camera.publish(detectionsToMsg(scene(i), nsToTimeMsg(t), 'rear_camera'));
        ctx.spinSome();
      }
    };
    return { clock, ctx, node, received, logs, run };
  }

  it('publishes counts every publish period on the node clock, from the face tracks it hears', () => {
    const g = graph();
    const counts = createPeopleCountNode(g.node, { publish_period_s: 2 });
    const start = g.clock.nowNs();
    // 8 s: a walker crosses during the first 6 s, then nobody.
    g.run(80, (i) => (i < 60 ? [face(20 + 9 * i)] : []));
    expect(g.received.map((m) => timeMsgToNs(m.header.stamp) - start)).toEqual(
      [2n, 4n, 6n, 8n].map((s) => s * S),
    );
    const last = g.received.at(-1)!;
    expect(last.header.frame_id).toBe('base_link');
    expect(last).toMatchObject({ frames: 80, new_people: 1, max_in_view: 1, in_view: 0 });
    expect(durationMsgToSeconds(last.window)).toBe(8); // since the first frame's sub-bin, 1000 s
    expect(g.received[0]).toMatchObject({ frames: 20, new_people: 1, in_view: 1 });
    expect(counts.latest()).toEqual(last);
    expect(counts.history()).toHaveLength(1);

    counts.stop();
    g.run(30, () => [face(300)]);
    expect(g.received).toHaveLength(4);
  });

  it('takes launch parameters over code defaults and refuses bad ones by field', () => {
    const g = graph({ 'people_count.window_s': 2 });
    createPeopleCountNode(g.node, { window_s: 30 });
    g.run(50, () => seated(1));
    expect(durationMsgToSeconds(g.received.at(-1)!.window)).toBe(2);
    expect(g.received.at(-1)!.frames).toBe(21); // sub-bins 1003…1005 s: 2 s of frames, both ends in

    const bad = graph({ 'people_count.publish_period_s': 0 });
    expect(() => createPeopleCountNode(bad.node)).toThrow(/^people_count\.publish_period_s: expected/);
    const bad2 = graph({ 'people_count.history_minutes': 0 });
    expect(() => createPeopleCountNode(bad2.node)).toThrow(
      /^people_count\.history_minutes: expected an integer/,
    );
  });

  it('logs a numbers-only summary at info at most once a minute', () => {
    const g = graph();
    createPeopleCountNode(g.node); // publishes every 1 s
    g.run(1500, (i) => (i % 200 < 100 ? [face(20 + 5 * (i % 100))] : []));
    expect(g.received).toHaveLength(150);
    const info = g.logs.filter((l) => l.msg === 'people count');
    expect(info).toHaveLength(3); // at 1 s, 61 s and 121 s
    expect(g.logs).toHaveLength(3);
    for (const l of info) for (const leaf of leaves(l.fields)) expect(leaf.type).toBe('number');
    for (const m of g.received) {
      const { header, ...counts } = m;
      expect(header.frame_id).toBe('base_link');
      for (const leaf of leaves(counts)) expect(leaf.type).toBe('number');
    }
  });
});
