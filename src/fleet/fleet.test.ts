/**
 * The fleet end to end: a real nats-server with JetStream, the fleet service, and three whole
 * simulated robots on one Iso Omena floor (each its own controller; each robot's lidar sees the
 * others), joined through their agents. Allocation picks the nearest robot; a robot killed
 * mid-escort has its customer met by another; a broker restart loses no task and does none
 * twice. The fleet service's clock is the test's (liveness is judged on it), so no outcome
 * depends on how fast this machine is.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../map/index.js';
import { parseFleetScenario } from '../../sim/fleet-scenario.js';
import { simulateFleet, type FleetControl as SimControl } from '../../sim/fleet-sim.js';
import { joinFleet } from './agent/join-fleet.js';
import type { FleetAgent } from './agent/fleet-agent.js';
import { FleetLink, type FleetLog } from './link.js';
import type { TaskRecord } from './protocol.js';
import { FleetService } from './service/fleet-service.js';
import { startTestNats, type TestNatsServer } from './test-server.js';

const lines: string[] = [];
const log: FleetLog = {
  info: (m) => lines.push(`info ${m}`),
  warn: (m) => lines.push(`warn ${m}`),
  error: (m) => lines.push(`error ${m}`),
};

/** Three robots, docked at the entrance, by HUSLAB and by Kohtaamo; no customers of their own. */
const FLOOR = `
name: a fleet of three
seed: 7
start_time: 2026-11-26T10:00:00+02:00
time_limit: 3600
site: ../../../maps/iso-omena
robots:
  - id: r1
  - id: r2
    dock: { x: 74.0, y: 10.4, yaw: 0.0 }
  - id: r3
    dock: { x: 49.0, y: 27.5, yaw: 0.0 }
`;

let server: TestNatsServer;
let site: Site;
let service: FleetService;
let serviceLink: FleetLink;
let fleetNow = Date.parse('2026-11-26T08:00:00Z');
let sim: SimControl | undefined;
let run: Promise<unknown> | undefined;
const stopSim = new AbortController();
const agents = new Map<string, { agent: FleetAgent; link: FleetLink }>();

/** Waits (on events, not a clock) until \`ready()\` holds; fails saying what never happened. */
async function until(what: string, ready: () => boolean | Promise<boolean>, turns = 400_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (await ready()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const tasks = service.snapshot().tasks.map((t) => `${t.task.id} ${t.status} ${t.robot ?? ''}`);
  const robots = service
    .snapshot()
    .robots.map(
      (r) =>
        `${r.robot} ${r.status} ${r.state?.mission.state} ${r.state?.mission.reason} avail=${r.state?.available}`,
    );
  const alerts = service.snapshot().alerts.map((a) => `alert ${a.code} ${a.text}`);
  const poses = service
    .snapshot()
    .robots.map((r) => `${r.robot} at ${JSON.stringify(r.state?.pose)} charge ${r.state?.battery.charge}`);
  throw new Error(
    `never happened: ${what}\n${[...lines.slice(-15), ...tasks, ...robots, ...alerts, ...poses].join('\n')}`,
  );
}

async function record(id: string): Promise<TaskRecord | undefined> {
  return service.refresh(id);
}

async function dispatched(request: Parameters<FleetService['dispatch']>[0]): Promise<string> {
  const r = await service.dispatch(request, { user: 'test-operator', role: 'operator' });
  if (!r.ok) throw new Error(r.message);
  return r.value.task.id;
}

/** Moves the service's clock on and lets every robot still running be heard after it. */
async function timePasses(ms: number, running: string[]): Promise<void> {
  fleetNow += ms;
  await until(`${running.join(', ')} heard after the clock moved`, () =>
    running.every((id) => service.snapshot().robots.find((r) => r.robot === id)!.lastSeenMs === fleetNow),
  );
}

const statuses = (r: TaskRecord | undefined) => r?.history.map((h) => `${h.status}:${h.robot ?? ''}`) ?? [];

beforeAll(async () => {
  server = await startTestNats();
  site = await loadSite('maps/iso-omena');
  serviceLink = FleetLink.open({ url: server.url, name: 'fleet-service', log, retryMs: 100 });
  service = new FleetService({
    link: serviceLink,
    sites: [site],
    roster: ['r1', 'r2', 'r3'].map((robot) => ({ robot, site: site.id })),
    log,
    now: () => fleetNow,
  });
  await service.ready();
  const scenario = parseFleetScenario(FLOOR, 'sim/scenarios/fleet/(fleet test).yaml');
  run = simulateFleet(
    scenario,
    { sites: [site], localization: 'perfect' },
    {
      endless: true,
      signal: stopSim.signal,
      pace: () => new Promise((resolve) => setImmediate(resolve)),
      onStart: (robots, control) => {
        sim = control;
        for (const r of robots) {
          const link = FleetLink.open({ url: server.url, name: r.id, log, retryMs: 100 });
          agents.set(r.id, { link, agent: joinFleet(r.graph, { robot: r.id, site: r.site, link, log }) });
        }
      },
    },
  );
  await until('every robot online and available', () =>
    service.snapshot().robots.every((r) => r.status === 'online' && r.state?.available === true),
  );
}, 120_000);

afterAll(async () => {
  stopSim.abort();
  await run?.catch(() => undefined);
  for (const { agent, link } of agents.values()) {
    agent.stop();
    await link.close();
  }
  service?.stop();
  await serviceLink?.close();
  await server?.dispose();
});

describe('a fleet on NATS JetStream', () => {
  it('gives a task to the robot best placed for it, which does it once', async () => {
    const id = await dispatched({ site: site.id, kind: 'goto', destination: 'hus-imaging' });
    await until('the goto done', async () => (await record(id))?.status === 'done');
    const r = await record(id);
    expect(r?.robot).toBe('r2'); // 9 m away; r1 is 31 m and r3 38 m
    expect(statuses(r)).toEqual(['queued:', 'assigned:r2', 'accepted:r2', 'started:r2', 'done:r2']);
    expect(r?.outcome).toBe('arrived');
    // Sent on again, chosen by name: done when it is there, not at the last goto's arrival, which
    // its mission repeats every second.
    const again = await dispatched({ site: site.id, kind: 'goto', destination: 'metro', robot: 'r2' });
    await until('the second goto done', async () => (await record(again))?.status === 'done');
    const steps = (await record(again))!.history;
    const at = (status: string) => steps.find((h) => h.status === status)!.atMs;
    expect(at('done') - at('accepted')).toBeGreaterThan(9_000 / 1.0); // 9 m at most 1 m/s
  }, 180_000);

  it('sends another robot to meet the customer of a robot killed mid-escort, and tells the operator', async () => {
    const id = await dispatched({ site: site.id, kind: 'escort', meet: 'kohtaamo', destination: 'kela' });
    await until('r3 escorting', async () => (await record(id))?.status === 'started');
    expect((await record(id))?.robot).toBe('r3');
    // Its computer dies: no goodbye, its connection just goes; its body stays on the floor.
    sim!.kill('r3');
    const r3 = agents.get('r3')!;
    r3.agent.stop();
    await r3.link.close();
    await timePasses(10_000, ['r1', 'r2']);
    await service.sweep();
    const alerts = service.snapshot().alerts.map((a) => `${a.code}:${a.robot}`);
    expect(alerts).toContain('vanished:r3');
    expect(alerts).toContain('task_reassigned:r3');
    await until('the escort done by another robot', async () => (await record(id))?.status === 'done');
    const r = await record(id);
    expect(['r1', 'r2']).toContain(r?.robot);
    expect(r?.task.meet).not.toBe(undefined);
    expect(statuses(r).filter((s) => s.startsWith('done'))).toHaveLength(1);
    expect(statuses(r)).toContain('queued:');
  }, 240_000);

  it('loses no task and does none twice over a broker restart', async () => {
    const id = await dispatched({ site: site.id, kind: 'goto', destination: 'library' });
    await until('the goto accepted', async () =>
      ['accepted', 'started'].includes((await record(id))?.status ?? ''),
    );
    await server.stop('SIGKILL');
    // The robots go on alone; whoever finishes meanwhile keeps its report until the broker is back.
    await server.start();
    await until(
      'the goto done after the restart',
      async () => (await record(id).catch(() => undefined))?.status === 'done',
    );
    const again = await dispatched({ site: site.id, kind: 'goto', destination: 'toilets' });
    await until(
      'a new task after the restart done',
      async () => (await record(again).catch(() => undefined))?.status === 'done',
    );
    for (const t of [id, again])
      expect(statuses(await record(t)).filter((s) => s.startsWith('done'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('running alone'))).toBe(true);
  }, 240_000);
});
