/**
 * The fleet as deployed: a nats-server configured by `fleet keys server-config`, the service and
 * two robots' agents each with its own nkey and nothing more than its permissions. Desk statuses
 * set on one robot's console (its real SQLite store) reach the other robot's; work goes to a
 * robot and is accepted under the robot's own permissions; and a robot that tries to hand work to
 * another is refused by the broker. The agents' missions are recording **stand-ins** (the real
 * mission is in fleet.test.ts): here what matters is what the broker lets through.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteConsoleStore } from '../console/store/index.js';
import { loadSite, type Site } from '../map/index.js';
import { EmbeddedContext, SimClock } from '../ros/index.js';
import { DeskShare } from './agent/desk-share.js';
import { FleetAgent } from './agent/fleet-agent.js';
import { graphStepper, idleWatched, recordingMission } from './fleet-fixtures.js';
import { addIdentity, fleetAuthenticator, natsServerConfig, readRoster, seedFile } from './credentials.js';
import { FleetLink, type FleetLog } from './link.js';
import { requestEscort } from './kiosk-client.js';
import { encodeFleet, FLEET_SCHEMA_VERSION, type Assignment, type Task } from './protocol.js';
import { FleetService } from './service/fleet-service.js';
import { SUBJECTS } from './subjects.js';
import { startTestNats, type TestNatsServer } from './test-server.js';

const lines: string[] = [];
const log: FleetLog = {
  info: (m) => lines.push(`info ${m}`),
  warn: (m) => lines.push(`warn ${m}`),
  error: (m) => lines.push(`error ${m}`),
};
const clock = new SimClock(1_000_000_000n);
const graph = new EmbeddedContext({ clock });

interface Robot {
  id: string;
  store: SqliteConsoleStore;
  link: FleetLink;
  agent: FleetAgent;
  started: Task[];
  changes: number;
}

let dir: string;
let server: TestNatsServer;
let site: Site;
let service: FleetService;
let serviceLink: FleetLink;
const robots: Robot[] = [];

function linkAs(id: string): FleetLink {
  const { authenticator, inboxPrefix } = fleetAuthenticator(seedFile(path.join(dir, 'keys'), id));
  return FleetLink.open({ url: server.url, name: id, log, authenticator, inboxPrefix, retryMs: 50 });
}

function robot(id: string, x: number, y: number): Robot {
  const store = openStore(path.join(dir, `data-${id}`));
  const link = linkAs(id);
  const r = { id, store, link, started: [] as Task[], changes: 0 } as Robot;
  const state = idleWatched(x, y);
  const desks = new DeskShare({
    site: site.id,
    desks: site.destinations.map((d) => d.id),
    store,
    changed: () => r.changes++,
    log,
  });
  r.agent = new FleetAgent({
    link,
    node: graph.createNode(`fleet_agent_${id}`),
    robot: id,
    site: site.id,
    watch: { state: () => state },
    mission: recordingMission(r.started),
    log,
    desks,
  });
  robots.push(r);
  return r;
}

const until = graphStepper(clock, graph, lines);

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'medhjalparen-fleet-'));
  site = await loadSite('maps/iso-omena');
  const keys = path.join(dir, 'keys');
  addIdentity(keys, { kind: 'service' });
  for (const id of ['r1', 'r2']) addIdentity(keys, { kind: 'robot', id, site: site.id });
  addIdentity(keys, { kind: 'kiosk', id: 'entrance', site: site.id });
  server = await startTestNats({ config: natsServerConfig(readRoster(keys)) });
  serviceLink = linkAs('fleet');
  service = new FleetService({
    link: serviceLink,
    sites: [site],
    roster: ['r1', 'r2'].map((robot) => ({ robot, site: site.id })),
    log,
    now: () => 0,
  });
  await service.ready();
  robot('r1', site.dock.x, site.dock.y);
  robot('r2', 74, 10.4);
  await until('both robots online', () => service.snapshot().robots.every((r) => r.status === 'online'));
}, 60_000);

afterAll(async () => {
  for (const r of robots) {
    r.agent.stop();
    await r.link.close();
    r.store.close();
  }
  service?.stop();
  await serviceLink?.close();
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a secured fleet', () => {
  it("shares a desk's status set on one robot's console with the site's other robots", async () => {
    const [r1, r2] = robots as [Robot, Robot];
    r1.store.setDeskStatus({
      destination_id: 'kela',
      state: 'closed',
      note: 'back at 14',
      untilMs: null,
      set_by: 'staff',
      setMs: 5,
    });
    await until('r2 has it', () => r2.store.deskStatuses().some((s) => s.destination_id === 'kela'));
    expect(r2.store.deskStatuses()).toEqual([
      {
        destination_id: 'kela',
        state: 'closed',
        note: 'back at 14',
        untilMs: null,
        set_by: 'staff',
        setMs: 5,
      },
    ]);
    expect(r2.changes).toBeGreaterThan(0);
    r2.store.clearDeskStatus('kela');
    await until('r1 has it cleared', () => r1.store.deskStatuses().length === 0);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });

  it('gives work to a robot, which takes it under its own permissions', async () => {
    const r = await service.dispatch(
      { site: site.id, kind: 'goto', destination: 'hus-imaging' },
      { user: 'olga', role: 'operator' },
    );
    if (!r.ok) throw new Error(r.message);
    await until('accepted', async () => (await service.refresh(r.value.task.id))?.status === 'accepted');
    await until('started', () => robots[1]!.started.length > 0);
    expect((await service.refresh(r.value.task.id))?.robot).toBe('r2');
    expect(robots[1]!.started.map((t) => t.id)).toEqual([r.value.task.id]);
  });

  it("takes a kiosk's escort with the kiosk's own credentials, and a robot comes to meet the customer", async () => {
    const kiosk = linkAs('entrance');
    const nc = (await kiosk.ready)!;
    const escort = {
      site: site.id,
      destination: 'kela',
      meet: 'service-point',
      language: 'sv' as const,
      plain: true,
    };
    const task = await requestEscort(nc, escort, 0);
    await kiosk.close();
    await until('accepted', async () => (await service.refresh(task.id))?.status === 'accepted');
    await until('started by a robot', () => robots.some((r) => r.started.some((t) => t.id === task.id)));
    const taken = robots.flatMap((r) => r.started).find((t) => t.id === task.id);
    expect(taken).toMatchObject({
      kind: 'escort',
      origin: 'kiosk',
      meet: 'service-point',
      language: 'sv',
      plain: true,
    });
  });

  it('refuses a robot that tries to hand work to another: the broker drops it', async () => {
    const [r1, r2] = robots as [Robot, Robot];
    const forged: Assignment = {
      v: FLEET_SCHEMA_VERSION,
      robot: 'r2',
      attempt: 1,
      assignedMs: 0,
      task: {
        v: FLEET_SCHEMA_VERSION,
        id: 'forged-task-1',
        site: site.id,
        kind: 'goto',
        destination: 'metro',
        language: '',
        plain: false,
        origin: 'operator',
        createdMs: 0,
      },
    };
    const js = r1.link.connection!.jetstream();
    await expect(
      js.publish(SUBJECTS.assign('r2'), encodeFleet('assignment', forged), { timeout: 2000 }),
    ).rejects.toThrow(/Permissions Violation|timeout|no responders/i);
    const jsm = await serviceLink.connection!.jetstreamManager();
    expect((await jsm.streams.info('FLEET_ASSIGN')).state.messages).toBe(0);
    expect(r2.started.map((t) => t.id)).not.toContain('forged-task-1');
  });
});
