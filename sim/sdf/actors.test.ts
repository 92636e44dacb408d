import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../../src/map/index.js';
import type { ActorTrack } from './actor-sdf.js';
import { pedestrianTracks } from './actors.js';

let iso: Site;
let tracks: ActorTrack[];
beforeAll(async () => {
  iso = await loadSite('maps/iso-omena');
  tracks = pedestrianTracks(iso, { count: 6, seed: 7 });
});

/** Points every quarter cell along a→b that are not on a free cell of the map. */
function blockedAlong(site: Site, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const steps = Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) / (site.map.resolution / 4)) + 1;
  let blocked = 0;
  for (let i = 0; i <= steps; i++) {
    const f = i / steps;
    if (!site.map.isFreeAt(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f)) blocked++;
  }
  return blocked;
}

describe('scripted pedestrians for the Gazebo export', () => {
  it('gives every pedestrian asked for a loop on the sample floor', () => {
    expect(tracks).toHaveLength(6);
    for (const t of tracks) expect(t.waypoints.length).toBeGreaterThan(4);
  });

  it('keeps every segment between consecutive waypoints in free space', () => {
    let segments = 0;
    for (const { waypoints } of tracks) {
      for (let k = 1; k < waypoints.length; k++) {
        expect(blockedAlong(iso, waypoints[k - 1]!, waypoints[k]!), `${k}`).toBe(0);
        segments++;
      }
    }
    expect(segments).toBeGreaterThan(30);
  });

  it('closes each loop where it started, facing the way it first walked', () => {
    for (const { waypoints } of tracks) {
      const first = waypoints[0]!;
      const last = waypoints[waypoints.length - 1]!;
      expect(Math.hypot(last.x - first.x, last.y - first.y)).toBeLessThan(1e-9);
      expect(Math.cos(last.yaw - first.yaw)).toBeCloseTo(1, 9);
    }
  });

  it('walks at 1.2 m/s facing the direction of travel, with times that always rise', () => {
    for (const { waypoints } of tracks) {
      for (let k = 1; k < waypoints.length; k++) {
        const [a, b] = [waypoints[k - 1]!, waypoints[k]!];
        expect(b.time).toBeGreaterThan(a.time);
        const d = Math.hypot(b.x - a.x, b.y - a.y);
        if (d === 0) continue; // turning on the spot
        expect(d / (b.time - a.time)).toBeCloseTo(1.2, 6);
        const heading = Math.atan2(b.y - a.y, b.x - a.x);
        expect(Math.cos(a.yaw - heading)).toBeCloseTo(1, 9);
        expect(b.yaw).toBe(a.yaw);
      }
    }
  });

  it('starts nobody within 2.5 m of the dock or a desk', () => {
    const places = [iso.dock, ...iso.destinations.map((d) => d.pose)];
    for (const { waypoints } of tracks) {
      const s = waypoints[0]!;
      for (const p of places) expect(Math.hypot(p.x - s.x, p.y - s.y)).toBeGreaterThanOrEqual(2.5);
    }
  });

  it('is deterministic per seed, and another seed walks elsewhere', () => {
    expect(pedestrianTracks(iso, { count: 6, seed: 7 })).toEqual(tracks);
    expect(pedestrianTracks(iso, { count: 6, seed: 8 })[0]!.waypoints[0]).not.toEqual(
      tracks[0]!.waypoints[0],
    );
    // Each pedestrian has its own stream: asking for more does not move the first ones.
    expect(pedestrianTracks(iso, { count: 7, seed: 7 }).slice(0, 6)).toEqual(tracks);
  });
});
