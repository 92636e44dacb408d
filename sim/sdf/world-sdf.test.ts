import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CELL_FREE, loadSite, type Site } from '../../src/map/index.js';
import { DEFAULT_ROBOT } from '../../src/robot-description.js';
import { writeDoorFloor, type DoorFloor } from '../../test/support/door-floor.js';
import { pedestrianTracks } from './actors.js';
import { wallBoxes } from './wall-boxes.js';
import { bridgeYaml, worldSdf } from './world-sdf.js';

let iso: Site;
let doors: DoorFloor;
let doorSite: Site;
const scratch = mkdtempSync(join(tmpdir(), 'medhjalparen-sdf-'));
beforeAll(async () => {
  iso = await loadSite('maps/iso-omena');
  doors = await writeDoorFloor({
    doors: [{ width: 0.8 }, { width: 1.2 }, { width: 0.9, depth: 0.6 }],
    resolution: 0.075,
    origin: { x: -3.21, y: 12.5 },
  });
  doorSite = await loadSite(doors.dir);
});
afterAll(async () => {
  await doors.remove();
  rmSync(scratch, { recursive: true, force: true });
});

/** How many times each cell of `site`'s map is covered by the world's wall collisions. */
function coverFromSdf(site: Site, sdf: string): Uint16Array {
  const m = site.map;
  const cover = new Uint16Array(m.width * m.height);
  const wall =
    /<collision name="wall_\d+"><pose>(\S+) (\S+) \S+ 0 0 0<\/pose><geometry><box><size>(\S+) (\S+) \S+<\/size>/g;
  for (const [, cx, cy, sx, sy] of sdf.matchAll(wall)) {
    const x0 = Number(cx) - Number(sx) / 2;
    const y0 = Number(cy) - Number(sy) / 2;
    const col0 = Math.round((x0 - m.originX) / m.resolution);
    const row0 = Math.round((y0 - m.originY) / m.resolution);
    const cols = Math.round(Number(sx) / m.resolution);
    const rows = Math.round(Number(sy) / m.resolution);
    for (let r = row0; r < row0 + rows; r++)
      for (let c = col0; c < col0 + cols; c++) cover[r * m.width + c]!++;
  }
  return cover;
}

/** `ign sdf -k` on the text; fails saying what to install when the tool is missing. */
function ignCheck(sdf: string, name: string): string {
  const file = join(scratch, name);
  writeFileSync(file, sdf);
  try {
    return execFileSync('ign', ['sdf', '-k', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (err.code === 'ENOENT') {
      throw new Error('ign is missing: apt-get install ignition-tools libsdformat12-12 sdformat-sdf', {
        cause: e,
      });
    }
    throw new Error(`ign sdf -k ${name}: ${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: e });
  }
}

describe('walls extruded from the occupancy grid', () => {
  it.each(['iso', 'doors'] as const)('covers every solid cell once and no free cell (%s)', (which) => {
    const site = which === 'iso' ? iso : doorSite;
    const cover = coverFromSdf(site, worldSdf(site, DEFAULT_ROBOT));
    const data = site.map.data;
    let wrong = 0;
    for (let i = 0; i < data.length; i++) if (cover[i] !== (data[i] === CELL_FREE ? 0 : 1)) wrong++;
    expect(wrong).toBe(0);
  });

  it('merges cells into few boxes: a straight wall is one box', () => {
    const solid = iso.map.data.reduce((n, v) => n + (v === CELL_FREE ? 0 : 1), 0);
    const boxes = wallBoxes(iso.map).length;
    expect(boxes).toBeLessThan(solid / 100);
    expect(wallBoxes(doorSite.map).length).toBeLessThan(60);
  });
});

describe('the world file', () => {
  it.each(['iso', 'doors'] as const)("is valid SDFormat by Debian's sdformat tools (%s)", (which) => {
    const site = which === 'iso' ? iso : doorSite;
    expect(ignCheck(worldSdf(site, DEFAULT_ROBOT), `${which}.sdf`)).toContain('Valid.');
  });

  it('stays valid with scripted pedestrians, each an actor walking a looping trajectory', () => {
    const actors = pedestrianTracks(iso, { count: 4, seed: 2 });
    const sdf = worldSdf(iso, DEFAULT_ROBOT, { actors });
    expect(ignCheck(sdf, 'iso-actors.sdf')).toContain('Valid.');
    expect(sdf.match(/<actor name="pedestrian_\d+">/g)).toHaveLength(4);
    expect(sdf.match(/<waypoint>/g)).toHaveLength(actors.reduce((n, a) => n + a.waypoints.length, 0));
    expect(sdf).toContain('<loop>true</loop>');
    expect(sdf).toContain('walk.dae</filename>');
  });

  it('names a desk model after every destination and puts the robot at the dock', () => {
    const sdf = worldSdf(iso, DEFAULT_ROBOT);
    for (const d of iso.destinations) expect(sdf).toContain(`<model name="desk_${d.id}">`);
    const { x, y } = iso.dock;
    expect(sdf).toMatch(new RegExp(`<model name="medhjalparen"><pose>${x} ${y} 0 `));
    expect(sdf).toContain('<wheel_separation>0.42</wheel_separation>');
    expect(sdf).toContain('<samples>360</samples>');
    expect(sdf).toContain('gz-sim-diff-drive-system');
  });

  it('maps /cmd_vel, /odom, /scan, /tf, /clock and the camera for ros_gz_bridge', () => {
    const yaml = bridgeYaml();
    for (const topic of ['/cmd_vel', '/odom', '/scan', '/tf', '/clock', '/rear_camera/image_raw']) {
      expect(yaml).toContain(`ros_topic_name: "${topic}"`);
    }
    expect(yaml).toMatch(/ros_topic_name: "\/cmd_vel"[\s\S]*?direction: ROS_TO_GZ/);
  });
});
