/**
 * Faults and bad input on the fleet, against a real nats-server: a broker down at start, a task
 * of an unknown schema version, a task sent twice, an assignment for another robot and one the
 * task book no longer holds. The robot's agent here runs on a real embedded graph with a
 * recording **stand-in** for the mission (and a fixed stand-in state): what is checked is that
 * nothing reaches the mission that should not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSite, type Site } from '../map/index.js';
import { EmbeddedContext, SimClock } from '../ros/index.js';
import { FleetAgent } from './agent/fleet-agent.js';
import { graphStepper, idleWatched, recordingMission } from './fleet-fixtures.js';
import { FleetLink, type FleetLog } from './link.js';
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

let server: TestNatsServer;
let site: Site;
let service: FleetService;
const links: FleetLink[] = [];
const started: Task[] = [];
const clock = new SimClock(1_000_000_000n);
const graph = new EmbeddedContext({ clock });
let agent: FleetAgent;

function open(name: string): FleetLink {
  const link = FleetLink.open({ url: server.url, name, log, retryMs: 50 });
  links.push(link);
  return link;
}

const until = graphStepper(clock, graph, lines);

const task = (id: string, change: Partial<Task> = {}): Task => ({
  v: FLEET_SCHEMA_VERSION,
  id,
  site: site.id,
  kind: 'goto',
  destination: 'kela',
  language: '',
  plain: false,
  origin: 'kiosk',
  createdMs: 0,
  ...change,
});

beforeAll(async () => {
  server = await startTestNats();
  site = await loadSite('maps/iso-omena');
  service = new FleetService({
    link: open('fleet-service'),
    sites: [site],
    roster: [{ robot: 'r1', site: site.id }],
    log,
    now: () => 0,
  });
  await service.ready();
  const node = graph.createNode('fleet_agent');
  agent = new FleetAgent({
    link: open('r1'),
    node,
    robot: 'r1',
    site: site.id,
    watch: { state: () => idleWatched(site.dock.x, site.dock.y) },
    mission: recordingMission(started),
    log,
  });
  await until('r1 online', () => service.snapshot().robots[0]?.status === 'online');
}, 60_000);

afterAll(async () => {
  agent?.stop();
  service?.stop();
  for (const l of links) await l.close();
  await server?.dispose();
});

describe('fleet faults', () => {
  it('refuses a task of an unknown schema version: never acted on, one alert', async () => {
    const nc = links[0]!.connection!;
    const newer = { ...task('newer-task-1'), v: 2, wings: true };
    await nc.jetstream().publish(SUBJECTS.taskNew(site.id), Buffer.from(JSON.stringify(newer)));
    await until('the alert', () => service.snapshot().alerts.some((a) => a.code === 'bad_message'));
    expect(service.snapshot().alerts.find((a) => a.code === 'bad_message')?.text).toMatch(
      /task\/v: schema version 2 is not 1/,
    );
    expect(await service.refresh('newer-task-1')).toBeUndefined();
    expect(started).toEqual([]);
  });

  it('stores a task sent twice once, and the robot does it once', async () => {
    const js = links[0]!.connection!.jetstream();
    const t = task('twice-task-1');
    for (let i = 0; i < 2; i++)
      await js.publish(SUBJECTS.taskNew(site.id), encodeFleet('task', t), { msgID: t.id });
    await until('the task accepted', async () => (await service.refresh(t.id))?.status === 'accepted');
    await until('the mission asked', () => started.length > 0);
    const record = await service.refresh(t.id);
    expect(record?.history.map((h) => h.status)).toEqual(['queued', 'assigned', 'accepted']);
    expect(started.map((s) => s.id)).toEqual([t.id]);
  });

  it('drops an assignment for another robot, and one the task book does not hold', async () => {
    const js = links[0]!.connection!.jetstream();
    const stray: Assignment = {
      v: FLEET_SCHEMA_VERSION,
      task: task('stray-task-1'),
      robot: 'r2',
      attempt: 1,
      assignedMs: 0,
    };
    await js.publish(SUBJECTS.assign('r1'), encodeFleet('assignment', stray));
    const stale: Assignment = {
      v: FLEET_SCHEMA_VERSION,
      task: task('stale-task-1'),
      robot: 'r1',
      attempt: 3,
      assignedMs: 0,
    };
    await js.publish(SUBJECTS.assign('r1'), encodeFleet('assignment', stale));
    await until('the stray one refused', () => lines.some((l) => l.includes('refused an assignment for r2')));
    const jsm = await links[0]!.connection!.jetstreamManager();
    await until('the queue empty', async () => (await jsm.streams.info('FLEET_ASSIGN')).state.messages === 0);
    expect(started.map((s) => s.id)).toEqual(['twice-task-1']);
  });

  it('runs alone while the broker is down at start, and joins when it comes', async () => {
    await server.stop();
    const before = lines.length;
    const late = open('late-robot');
    await until('running alone said', () => lines.slice(before).some((l) => l.includes('running alone')));
    expect(late.status).toBe('connecting');
    await server.start();
    await until('joined', () => late.status === 'connected');
    expect(
      lines.slice(before).filter((l) => l.includes('late-robot') && l.includes('running alone')),
    ).toHaveLength(0);
    expect(
      lines
        .slice(before)
        .some((l) => l.includes('the broker is not running or not reachable; running alone')),
    ).toBe(true);
  });
});
