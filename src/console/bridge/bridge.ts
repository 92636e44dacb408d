/**
 * The robot bridge: the console's node on the graph. It listens to what the robot publishes and
 * keeps the live state the pages show; it calls the robot's services for operators and publishes
 * the kiosk's requests and the desk statuses staff set. Like an rqt plugin it is an observer plus
 * a few buttons: the robot runs the same with or without it.
 */
import { randomBytes } from 'node:crypto';
import type {
  BaseState,
  CustomerFollow,
  DeskStatusArray,
  DispatchResponse,
  GuideStatus,
  SafetyState,
  Utterance,
} from '../../interfaces/index.js';
import type { Site } from '../../map/index.js';
import { DEFAULT_ROBOT, reasonText, type RobotDescription } from '../../robot/index.js';
import {
  TransformBuffer,
  type BatteryState,
  type DiagnosticArray,
  type LaserScan,
  type OccupancyGrid,
  type People,
  type Publisher,
  type RosNode,
  type SetBoolResponse,
  type TriggerResponse,
} from '../../ros/index.js';
import type { Choice, Fault, Language, LiveState, MapImage, MissionLogEntry } from '../protocol.js';
import { STATE_RATE_HZ } from '../protocol.js';
import type { ConsoleStore, MissionStart, StoredDeskStatus } from '../store.js';
import { BatteryView } from './battery.js';
import { centreNow } from './centre.js';
import { deskNow, deskStatusMessage } from './desks.js';
import { LiveStateBook } from './live-state.js';
import { mapImage } from './map-image.js';
import { MissionLogRecorder } from './mission-log.js';
import { callService } from './service-call.js';
import { pathPoints, remainingMetres, scanPoints, thin, type Point } from './shapes.js';
import { TeleopDeadman } from './teleop.js';
import { createWhyGate } from './why.js';

const LATCHED = { qos: { durability: 'transient_local' as const } };
const MAX_PEOPLE = 100;
const MAX_FAULTS = 50;
/** Desk states are recomputed this often (hours change by the minute; staff changes at once). */
const DESK_EVERY_TICKS = STATE_RATE_HZ;
/** Mission states with somewhere to go: the pages show the metres left. */
const GOING = new Set(['escorting', 'dispatched', 'waiting_for_customer', 'returning']);

export interface BridgeOptions {
  site: Site;
  store: ConsoleStore;
  /** Where requests come from that are not the kiosk's (the simulator's customers, a terminal). */
  otherOrigin: MissionStart['origin'];
  /** The robot's battery, for the charge estimate from /battery's voltage (default DEFAULT_ROBOT). */
  robot?: RobotDescription;
}

export interface SaidEvent {
  request_id: string;
  language: string;
  kind: string;
  text: string;
  plain: boolean;
  /** The destinations the customer can pick now, named in the say's language. */
  choices: Choice[];
}

/** A kiosk request's options besides its words. */
export interface KioskAsk {
  /** The language the customer chose; '' when they did not (the robot detects it). */
  language: Language | '';
  plain: boolean;
  mode: 'escort' | 'directions';
}

export interface BridgeListeners {
  tick?(): void;
  /**
   * Whether any page is connected (default: yes). Nobody watching, the live state is not built
   * each tick (a fast simulation would build it hundreds of times a second for no one); GET
   * /api/state builds it on demand with refresh().
   */
  watching?(): boolean;
  map?(map: MapImage): void;
  say?(said: SaidEvent): void;
  log?(entry: MissionLogEntry): void;
}

export type Bridge = ReturnType<typeof createBridge>;

export function createBridge(node: RosNode, options: BridgeOptions, listeners: BridgeListeners = {}) {
  const { site, store } = options;
  const book = new LiveStateBook();
  const whyGate = createWhyGate(site);
  let whyDropped = false;
  /** The status with its why through the privacy gate (said once when one is dropped, never its words). */
  const gated = (s: GuideStatus): GuideStatus => {
    const why = whyGate.pass(s.why);
    if (why === '' && typeof s.why === 'string' && s.why !== '' && !whyDropped) {
      whyDropped = true;
      node.getLogger().warn('console: a GuideStatus why held words outside the site catalogue; dropped');
    }
    return why === s.why ? s : { ...s, why };
  };
  const tf = TransformBuffer.listen(node);
  const nowMs = () => Number(node.now().nanoseconds / 1_000_000n);
  const log = new MissionLogRecorder({
    store,
    timezone: site.timezone,
    otherOrigin: options.otherOrigin,
    nowMs,
    onEntry: (e) => listeners.log?.(e),
  });
  /**
   * The store may fail (locked by another process, the disk full): the robot must not. A failing
   * write is logged once per kind and the bridge goes on; the next one tries again.
   */
  const failing = new Set<string>();
  const guard = (what: string, fn: () => void) => {
    try {
      fn();
      failing.delete(what);
    } catch (e) {
      if (!failing.has(what))
        node.getLogger().error(`console: ${what} failed`, { error: String(e).slice(0, 300) });
      failing.add(what);
    }
  };
  let map: MapImage | undefined;
  let scan: LaserScan | undefined;
  let path: Point[] = [];

  node.createSubscription('nav_msgs/msg/OccupancyGrid', '/map', LATCHED, (grid: OccupancyGrid) => {
    map = mapImage(grid);
    listeners.map?.(map);
  });
  node.createSubscription('nav_msgs/msg/Path', '/plan', (p) => (path = pathPoints(p)));
  node.createSubscription('sensor_msgs/msg/LaserScan', '/scan', (s: LaserScan) => (scan = s));
  // People and the customer come many times a second: kept as they came, turned into the live
  // state's fields only when it is built (refresh), so nobody watching costs nothing.
  let people: People | undefined;
  let customer: CustomerFollow | undefined;
  node.createSubscription('people_msgs/msg/People', '/people', (p: People) => (people = p));
  const battery = new BatteryView(options.robot ?? DEFAULT_ROBOT, site.timezone);
  const showBattery = () => book.set('battery', battery.view());
  node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (raw: GuideStatus) => {
    const s = gated(raw);
    const mission = missionOf(s);
    book.set('mission', mission);
    battery.missionReason(mission.reason);
    showBattery();
    guard('mission log', () => log.status(s));
  });
  node.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u: Utterance) => {
    guard('mission log', () => log.say(u));
    listeners.say?.(saidOf(u, site));
  });
  node.createSubscription('medhjalparen_msgs/msg/GuideRequest', '/guide/request', (r) =>
    guard('mission log', () => log.request(r)),
  );
  node.createSubscription(
    'medhjalparen_msgs/msg/CustomerFollow',
    '/guide/customer',
    (c: CustomerFollow) => (customer = c),
  );
  node.createSubscription('medhjalparen_msgs/msg/SafetyState', '/safety/state', LATCHED, (s: SafetyState) =>
    book.set('safety', { estop_latched: s.estop_latched === true, reason: s.reason, source: s.source }),
  );
  node.createSubscription('sensor_msgs/msg/BatteryState', '/battery', (b: BatteryState) => {
    battery.reading(node.now().nanoseconds, b);
    showBattery();
  });
  node.createSubscription('nav_msgs/msg/Odometry', '/odom', (o) =>
    battery.motion(node.now().nanoseconds, o.twist.twist.linear.x, o.twist.twist.angular.z),
  );
  watchFaults(node, (list) => book.set('faults', list));

  const requestPub = node.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
  const deskPub: Publisher<'medhjalparen_msgs/msg/DeskStatusArray'> = node.createPublisher(
    'medhjalparen_msgs/msg/DeskStatusArray',
    '/guide/desk_status',
    LATCHED,
  );
  const clients = {
    dispatch: node.createClient('medhjalparen_msgs/srv/Dispatch', '/guide/dispatch'),
    cancel: node.createClient('std_srvs/srv/Trigger', '/guide/cancel'),
    pause: node.createClient('std_srvs/srv/SetBool', '/guide/pause'),
    estop: node.createClient('std_srvs/srv/SetBool', '/safety/estop'),
  };
  const teleop = new TeleopDeadman(node);

  // Staff statuses change only through the console (desksChanged): read from the store then, not
  // on every tick (a fast simulation ticks hundreds of times a wall-clock second).
  let statuses: StoredDeskStatus[] = [];
  function loadStatuses(): void {
    statuses = store.deskStatuses();
  }
  function refreshDesks(): void {
    const now = nowMs();
    const stored = new Map(statuses.map((s) => [s.destination_id, s]));
    book.set(
      'desks',
      site.destinations.map((d) => deskNow(d, stored.get(d.id), now, site.timezone)),
    );
    book.set('centre', centreNow(site, now));
  }
  let lastDeskMessage = '';
  /** Publishes the latched desk statuses when they changed (a status set, or one that ended). */
  function publishDesks(force = false): void {
    const msg: DeskStatusArray = deskStatusMessage(statuses, node.now());
    const key = JSON.stringify(msg.desks);
    if (!force && key === lastDeskMessage) return;
    lastDeskMessage = key;
    deskPub.publish(msg);
  }

  let ticks = 0;
  function tick(): void {
    if (listeners.watching?.() ?? true) refresh();
    if (ticks++ % DESK_EVERY_TICKS === 0) {
      battery.check(node.now().nanoseconds);
      showBattery();
      guard('desk statuses', () => {
        refreshDesks();
        publishDesks();
      });
    }
    guard('live state', () => listeners.tick?.());
  }
  /** The live state's fields from the latest messages. */
  function refresh(): void {
    book.set('stamp', Number(node.now().nanoseconds) / 1e9);
    const pose = tf.lookup('map', 'base_link')?.pose;
    book.set('pose', pose ? { x: round(pose.x, 3), y: round(pose.y, 3), yaw: round(pose.yaw, 3) } : null);
    const sensor = scan ? tf.lookup('map', scan.header.frame_id)?.pose : undefined;
    book.set('scan', scan && sensor ? scanPoints(scan, sensor) : []);
    book.set('path', path);
    const going = GOING.has(book.get('mission').state);
    book.set('remaining_m', going && pose ? remainingMetres(path, pose) : null);
    book.set('teleop', { holder: teleop.holder?.name ?? '', driving: teleop.driving });
    if (people) book.set('people', peopleOf(people));
    if (customer) book.set('customer', customerOf(customer));
  }
  const timer = node.createTimer(BigInt(Math.round(1e9 / STATE_RATE_HZ)), tick);
  guard('desk statuses', () => {
    loadStatuses();
    refreshDesks();
    publishDesks(true);
  });

  return {
    book,
    refresh,
    teleop,
    map: () => map,
    nowMs,
    localHour: (epochMs: number) => log.localHour(epochMs),
    /** Staff changed a desk's status: the mission and the pages hear of it now. */
    desksChanged(): void {
      loadStatuses();
      refreshDesks();
      publishDesks(true);
    },
    dispatch: (destination_id: string): Promise<DispatchResponse> =>
      callService(node, clients.dispatch, { destination_id }),
    cancel: (): Promise<TriggerResponse> => callService(node, clients.cancel, {}),
    pause: (paused: boolean): Promise<SetBoolResponse> => callService(node, clients.pause, { data: paused }),
    estop: (engaged: boolean): Promise<SetBoolResponse> =>
      callService(node, clients.estop, { data: engaged }),
    /** A customer's request from the kiosk; its id is the kiosk's handle on it. The text is not kept. */
    kioskRequest(text: string, ask: KioskAsk): string {
      const request_id = `kiosk-${randomBytes(9).toString('base64url')}`;
      requestPub.publish({ request_id, text, language: ask.language, plain: ask.plain, mode: ask.mode });
      return request_id;
    },
    stop(): void {
      timer.cancel();
      teleop.dispose();
    },
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The mission as the pages show it; `s.why` has already passed the privacy gate. */
function missionOf(s: GuideStatus): LiveState['mission'] {
  const reason = typeof s.reason === 'string' ? s.reason : '';
  return {
    state: s.state,
    request_id: s.request_id,
    destination_id: s.destination_id,
    reason,
    reason_text: reasonText(reason),
    why: typeof s.why === 'string' ? s.why : '',
  };
}

/** Most choices a say carries to the pages (the robot offers two or three). */
const MAX_CHOICES = 6;

/**
 * An utterance as the pages get it: its choices named in the language it was said in (a page
 * shows a button per choice); an id that is not a desk of this site is left out.
 */
export function saidOf(u: Utterance, site: Pick<Site, 'destinations'>): SaidEvent {
  const language = (['fi', 'sv', 'en'] as const).find((l) => l === u.language) ?? 'fi';
  const ids = Array.isArray(u.choices) ? u.choices.slice(0, MAX_CHOICES) : [];
  const choices = ids.flatMap((id) => {
    const d = site.destinations.find((x) => x.id === id);
    return d ? [{ id: d.id, name: d.name[language] }] : [];
  });
  return {
    request_id: u.request_id,
    language: u.language,
    kind: u.kind,
    text: u.text,
    plain: u.plain === true,
    choices,
  };
}

function peopleOf(p: People): LiveState['people'] {
  const all = (p.people ?? []).map((x) => ({
    id: String(x.name),
    x: round(x.position.x, 2),
    y: round(x.position.y, 2),
  }));
  return thin(all, MAX_PEOPLE);
}

const LEVELS = ['ok', 'warn', 'error', 'stale'];

/** Faults now: /diagnostics entries at WARN and above, and a drive base that is lost or latched. */
function watchFaults(node: RosNode, changed: (faults: Fault[]) => void) {
  const byName = new Map<string, Fault>();
  const emit = () => changed([...byName.values()].slice(0, MAX_FAULTS));
  node.createSubscription('diagnostic_msgs/msg/DiagnosticArray', '/diagnostics', (d: DiagnosticArray) => {
    for (const s of d.status ?? []) {
      if (s.level === 0) byName.delete(s.name);
      else if (byName.size < MAX_FAULTS || byName.has(s.name))
        byName.set(s.name, { source: s.name, code: LEVELS[s.level] ?? String(s.level), message: s.message });
    }
    emit();
  });
  node.createSubscription('medhjalparen_msgs/msg/BaseState', '/base/state', LATCHED, (b: BaseState) => {
    if (b.connected && !b.stop_latched) byName.delete('base');
    else
      byName.set('base', {
        source: 'base',
        code: b.fault || (b.connected ? 'stop_latched' : 'disconnected'),
        message: b.connected ? 'the drive base latched a stop' : 'the drive base is not connected',
      });
    emit();
  });
  return byName;
}

function customerOf(c: CustomerFollow): LiveState['customer'] {
  return {
    bound: c.bound === true,
    visible: c.visible === true,
    distance_behind: Number.isFinite(c.distance_behind) ? Math.round(c.distance_behind * 10) / 10 : 0,
  };
}
