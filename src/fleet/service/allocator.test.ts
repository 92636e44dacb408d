import { beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../../map/index.js';
import { robotState } from '../fleet-fixtures.js';
import type { RobotState, Task } from '../protocol.js';
import { allocate, meetingPoint, type Candidate } from './allocator.js';

let site: Site;
beforeAll(async () => {
  site = await loadSite('maps/iso-omena');
});

const pose = (id: string) => {
  const p = site.destinations.find((d) => d.id === id)!.pose;
  return { x: p.x, y: p.y, yaw: 0 };
};

function robot(id: string, at: string, change: Partial<RobotState> = {}, siteId = 'iso-omena'): Candidate {
  const state = robotState(id, siteId, { pose: at === 'dock' ? { ...site.dock } : pose(at), ...change });
  return { robot: id, site: siteId, online: true, state };
}

const task = (change: Partial<Task> = {}): Task => ({
  v: 1,
  id: 'task-00000001',
  site: 'iso-omena',
  kind: 'goto',
  destination: 'hus-imaging',
  language: '',
  plain: false,
  origin: 'operator',
  createdMs: 0,
  ...change,
});

describe('the allocator', () => {
  it('sends the robot expected soonest where it is needed', () => {
    const a = allocate(task(), site, [robot('r1', 'dock'), robot('r2', 'huslab'), robot('r3', 'kohtaamo')]);
    expect(a.ok && a.ranked.map((c) => c.robot)).toEqual(['r2', 'r1', 'r3']);
  });

  it('measures an escort from where the customer waits, not from the desk', () => {
    const a = allocate(task({ kind: 'escort', meet: 'kohtaamo', destination: 'hus-imaging' }), site, [
      robot('r2', 'huslab'),
      robot('r3', 'kohtaamo'),
    ]);
    expect(a.ok && a.best.robot).toBe('r3');
  });

  it('prefers the fuller battery between equals, and never one the trip and the way home would leave below 25 %', () => {
    const half = robot('r1', 'huslab', { battery: { charge: 0.5, charging: false, reliable: true } });
    const full = robot('r2', 'huslab', { battery: { charge: 0.95, charging: false, reliable: true } });
    expect(allocate(task(), site, [half, full]).ok && allocate(task(), site, [half, full])).toMatchObject({
      best: { robot: 'r2' },
    });
    const low = robot('r3', 'huslab', { battery: { charge: 0.252, charging: false, reliable: true } });
    expect(allocate(task(), site, [low])).toEqual({ ok: false, reason: 'none_available' });
  });

  it('skips robots that are offline, busy, on another site, declined it, or not the one chosen', () => {
    const offline = { ...robot('r1', 'huslab'), online: false };
    const busy = robot('r2', 'huslab', { available: false });
    const elsewhere = robot('r3', 'huslab', {}, 'leppavaara');
    const declined = robot('r4', 'huslab');
    const fine = robot('r5', 'dock');
    const all = [offline, busy, elsewhere, declined, fine];
    expect(allocate(task(), site, all, { excluded: new Set(['r4']) })).toMatchObject({
      ok: true,
      best: { robot: 'r5' },
    });
    expect(allocate(task({ robot: 'r2' }), site, all)).toEqual({
      ok: false,
      reason: 'chosen_robot_unavailable',
    });
    expect(allocate(task({ site: 'tapiola' }), site, all)).toEqual({ ok: false, reason: 'no_robot_on_site' });
  });

  it('breaks ties by id, so the same states always give the same choice', () => {
    const a = allocate(task(), site, [robot('r9', 'huslab'), robot('r1', 'huslab')]);
    expect(a.ok && a.best.robot).toBe('r1');
  });

  it("meets a stranded customer at the desk nearest the failed robot, never on the robot's own spot", () => {
    expect(meetingPoint(site, { x: 72.5, y: 10 })).toBe('huslab');
    expect(meetingPoint(site, pose('huslab'))).not.toBe('huslab');
    expect(meetingPoint(site, { x: site.dock.x, y: site.dock.y + 3 })).toBe('dock');
  });
});
