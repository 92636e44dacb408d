/**
 * The scenario's customers, played against the robot: each walks up to the robot at its dock and
 * asks, follows it (or lags, steps aside, wanders off, as the scenario says), and what happened
 * to each request is read off the mission's own status and words. Everything here happens in
 * node callbacks and the runner's step, so a seed plays the same customers the same way.
 *
 * A request someone else made (the web kiosk, on the same /guide/request) is served too: once the
 * mission escorts it, a simulated customer steps up next to the robot and follows, and the
 * scenario's own customers wait until it is over.
 */
import { outcomeOfStatus, type Outcome } from '../src/robot/index.js';
import type { GuideStatus, Utterance } from '../src/interfaces/index.js';
import { distance, relativePose, type Pose2D, type RosNode } from '../src/ros/index.js';
import type { LiveEvent } from '../src/telemetry/index.js';
import { round } from './round.js';
import type { Rng } from './rng.js';
import type { CustomerSpec, CustomerStream } from './scenario.js';
import { distanceToPolyline } from './people-nav.js';
import type { Simulator } from './sim-node.js';
import type { SimWorld } from './world.js';

type Phase = 'waiting' | 'asked' | 'escorting' | 'arrived' | 'finishing' | 'done';

/** A request from outside the scenario (the kiosk): only its id is kept, never its text. */
interface ExternalRun {
  readonly requestId: string;
  readonly personId: string;
  phase: Exclude<Phase, 'waiting' | 'done'>;
  askedAtS: number;
  seenOwnStatus: boolean;
  destination: string;
  outcome?: Outcome;
  reason: string;
}

/** A request from outside that no status has taken up in this long was refused (busy, paused). */
const EXTERNAL_UNTAKEN_S = 2;
/** Idle away from the dock because the way home failed: customers come to the robot there. */
const AWAY_REASONS: ReadonlySet<string> = new Set(['return_blocked', 'return_needs_help']);
/** Phrases that turn a request away without taking it. */
const TURNED_AWAY = new Set(['busy', 'busy.directions', 'unavailable', 'paused']);
/** Phrases that ask the customer which desk they mean (answered by a scripted `pick`). */
const ASKED_BACK = new Set(['asking', 'asking.again']);
/** Mission states of an escort under way (waiting for the customer and paused included). */
const ESCORT_STATES: ReadonlySet<string> = new Set(['escorting', 'waiting_for_customer', 'paused']);
/**
 * Mission states in which the robot is at its dock and answers whoever asks, though it may turn
 * them away (charging, the centre closed): a customer waiting asks, and hears why.
 */
const ANSWERING_STATES: ReadonlySet<string> = new Set(['idle', 'charging', 'closed']);
/** Mission states in which a request that has its outcome is over for its customer. */
const NOT_GUIDING_STATES: ReadonlySet<string> = new Set([
  'charging',
  'closed',
  'battery_critical',
  'docking',
]);
/** m: passers-by this near the robot hear it ask to let it by (and look along its way this far). */
const PASSER_BY_HEARS_M = 3;
/** m: a passer-by this much beyond touching the robot's way is not in it. */
const PASSER_BY_MARGIN_M = 0.2;
type Emit = (e: LiveEvent) => void;

/** One customer's request, as the run sees it. */
export interface CustomerRun {
  readonly spec: CustomerSpec;
  readonly index: number;
  readonly requestId: string;
  readonly personId: string;
  phase: Phase;
  askedAtS: number;
  escortStartS?: number;
  endS?: number;
  seenOwnStatus: boolean;
  destination: string;
  /** Decided by the first status that ends the request (arriving, or a reason with an outcome). */
  outcome?: Outcome;
  reasons: string[];
  said: string[];
  /** Destination ids the robot offered as choices, in the order first offered. */
  offered: string[];
  /** Answered the robot's "which one?" already (a scripted pick is said once). */
  picked: boolean;
  pathLengthM: number;
  lastPose?: Pose2D;
  minPersonDistanceM: number;
  behaviourApplied: boolean;
  /** Stepped aside (steps_aside) and waits to be asked back. */
  awayUntilAsked: boolean;
}

export interface CustomerPlayDeps {
  node: RosNode;
  world: SimWorld;
  simulator: Simulator;
  dock: Pose2D;
  rng: Rng;
  /** Seconds since the run started. */
  now: () => number;
  emit: Emit;
  /** A request's outcome is decided (arriving, or a reason with an outcome): once per request. */
  onDecided?: (index: number, outcome: Outcome) => void;
  /** A request's escort has started (events timed from it count from here). */
  onEscortStart?: (index: number, atS: number) => void;
}

/**
 * Customers are taken from their source one at a time, when the robot is free for the next: a
 * listed scenario keeps every request for its report; an endless stream (the live run) keeps
 * only the one being served, so a run of any length holds the same memory.
 */
export class CustomerPlay {
  readonly #list: readonly CustomerSpec[] | undefined;
  readonly #stream: CustomerStream | undefined;
  /** Requests asked so far (a listed scenario's; a stream keeps none). */
  readonly #asked: CustomerRun[] = [];
  #nextIndex = 0;
  #next: CustomerSpec | undefined;
  #current: CustomerRun | undefined;
  #external: ExternalRun | undefined;
  #externalCount = 0;
  /** The id of the last request this play published (to tell others' requests from its own). */
  #lastOwnRequestId = '';
  #missionState = 'idle';
  #missionReason = '';
  /** The robot's planned way ahead (/plan, map frame), thinned: what a person sees it is about to do. */
  #plan: Array<{ x: number; y: number }> = [];
  #overallMinPersonM = Infinity;
  readonly #d: CustomerPlayDeps;
  readonly #request;

  constructor(customers: readonly CustomerSpec[] | CustomerStream, deps: CustomerPlayDeps) {
    this.#d = deps;
    if (isStream(customers)) this.#stream = customers;
    else this.#list = customers;
    const node = deps.node;
    this.#request = node.createPublisher('medhjalparen_msgs/msg/GuideRequest', '/guide/request');
    node.createSubscription('medhjalparen_msgs/msg/GuideStatus', '/guide/status', (s) => this.#onStatus(s));
    node.createSubscription('medhjalparen_msgs/msg/Utterance', '/guide/say', (u) => this.#onSaid(u));
    node.createSubscription('nav_msgs/msg/Path', '/plan', (p) => {
      const poses = Array.isArray(p?.poses) ? p.poses : [];
      // The first 8 m or so: where the robot is about to go.
      this.#plan = poses
        .slice(0, 160)
        .filter((_, i) => i % 4 === 0)
        .map((q) => ({ x: q.pose.position.x, y: q.pose.position.y }));
    });
    node.createSubscription('medhjalparen_msgs/msg/GuideRequest', '/guide/request', (r) =>
      this.#onRequest(typeof r?.request_id === 'string' ? r.request_id : ''),
    );
  }

  /**
   * Every request of a listed scenario for its report, in order: those asked as they went, the
   * rest still waiting. A stream's requests are not kept: none.
   */
  runs(): CustomerRun[] {
    if (!this.#list) return [];
    const waiting = this.#list
      .slice(this.#asked.length)
      .map((spec, i) => newRun(spec, this.#asked.length + i));
    return [...this.#asked, ...waiting];
  }

  /** What the mission said it is doing last. */
  get missionState(): string {
    return this.#missionState;
  }

  /**
   * The robot is free for the next customer where it stands: idle at its dock, or idle away from
   * it because it could not get home (then customers come to it there).
   */
  robotFree(): boolean {
    if (!ANSWERING_STATES.has(this.#missionState)) return false;
    return atDock(this.#d.world.robotPose(), this.#d.dock) || AWAY_REASONS.has(this.#missionReason);
  }

  /** The robot is settled at the end of a run: idle, and home unless it could not get there. */
  robotSettled(): boolean {
    return ANSWERING_STATES.has(this.#missionState) && !AWAY_REASONS.has(this.#missionReason);
  }

  /** The closest any person came to the robot over the whole run, m. */
  overallMinPersonDistanceM(): number {
    return Math.min(this.#overallMinPersonM, this.#d.world.metrics().minPersonDistanceM);
  }

  /** Every customer has been served (never, for an endless stream). */
  allDone(): boolean {
    return (
      !this.#current && !this.#external && this.#list !== undefined && this.#nextIndex >= this.#list.length
    );
  }

  /** The request the robot is escorting right now (its customer is `personId`), if any. */
  escorting(): CustomerRun | undefined {
    const c = this.#current;
    return c?.phase === 'escorting' && ESCORT_STATES.has(this.#missionState) ? c : undefined;
  }

  /** Who the robot is serving now, asking or escorted or at the desk (a kiosk customer too), if anyone. */
  servedPersonId(): string | undefined {
    if (this.#current && this.#current.phase !== 'done') return this.#current.personId;
    return this.#external && this.#external.phase !== 'asked' ? this.#external.personId : undefined;
  }

  /** Escort start of request `index`, if it has started (for events timed from it). */
  escortStartS(index: number): number | undefined {
    return (this.#asked[index] ?? (this.#current?.index === index ? this.#current : undefined))?.escortStartS;
  }

  /** One lockstep step: the next customer asks when the robot is free at its dock; the escorted one walks. */
  step(): void {
    const { world } = this.#d;
    const ext = this.#external;
    if (ext && !ext.seenOwnStatus && this.#d.now() - ext.askedAtS > EXTERNAL_UNTAKEN_S) {
      this.#finishExternal(ext, 'the robot did not take it');
    }
    // The scenario's customers wait while a request from outside is served.
    if (!this.#current && !this.#external) {
      const next = this.#peek();
      if (next && next.at <= this.#d.now() && this.robotFree()) {
        const index = this.#nextIndex;
        this.#take();
        this.#ask(newRun(next, index));
      }
    }
    const c = this.#current;
    if (c?.phase === 'escorting') {
      const pose = world.robotPose();
      c.pathLengthM += distance(pose, c.lastPose ?? pose);
      c.lastPose = pose;
      this.#applyBehaviour(c);
    }
  }

  /** The next customer, made (for a stream) only now that the run has reached them. */
  #peek(): CustomerSpec | undefined {
    if (this.#next === undefined) {
      if (this.#stream) this.#next = this.#stream.next();
      else if (this.#list && this.#nextIndex < this.#list.length) this.#next = this.#list[this.#nextIndex];
    }
    return this.#next;
  }

  #take(): CustomerSpec | undefined {
    const spec = this.#peek();
    this.#next = undefined;
    if (spec) this.#nextIndex++;
    return spec;
  }

  #decide(c: CustomerRun, outcome: Outcome | undefined): void {
    if (c.outcome !== undefined || outcome === undefined) return;
    c.outcome = outcome;
    this.#d.onDecided?.(c.index, outcome);
  }

  #onStatus(status: GuideStatus): void {
    this.#missionState = status.state;
    this.#missionReason = typeof status.reason === 'string' ? status.reason : '';
    const ext = this.#external;
    if (ext && status.request_id === ext.requestId) this.#onExternalStatus(ext, status);
    const c = this.#current;
    if (c && status.request_id === c.requestId) this.#onOwnStatus(c, status);
    else if (c?.seenOwnStatus && (status.state === 'idle' || status.state === 'stopped_safe'))
      this.#finish(c);
  }

  #onSaid(u: Utterance): void {
    const requestId = u.request_id;
    const kind = u.kind;
    const ext = this.#external;
    if (ext && requestId === ext.requestId && !ext.seenOwnStatus && TURNED_AWAY.has(kind)) {
      this.#finishExternal(ext, `the robot said ${kind}`);
    }
    const c = this.#current;
    if (c && c.phase === 'asked' && requestId === c.requestId && TURNED_AWAY.has(kind)) {
      this.#askAgainLater(c, kind);
      return;
    }
    if (ext && requestId === ext.requestId && kind === 'escort.make_way') this.#makeRoom(ext.personId, -1);
    if (!c || (requestId !== c.requestId && requestId !== '')) return;
    if (kind === 'escort.make_way' && requestId === c.requestId) {
      this.#makeRoom(c.personId, c.index);
      this.#passersByMakeRoom();
    }
    c.said.push(kind);
    for (const id of u.choices ?? []) if (!c.offered.includes(id)) c.offered.push(id);
    if (ASKED_BACK.has(kind) && c.spec.pick !== undefined && !c.picked) this.#pick(c, c.spec.pick);
    // A customer who stepped aside comes back when the robot asks for them.
    if (kind === 'escort.ask' && c.awayUntilAsked) {
      c.awayUntilAsked = false;
      const world = this.#d.world;
      world.person(c.personId)?.follow(() => world.robotPose());
      this.#d.emit({
        t: this.#d.now(),
        kind: 'event',
        what: `customer ${c.index} heard the robot and comes back`,
      });
    }
  }

  #onOwnStatus(c: CustomerRun, status: GuideStatus): void {
    const { world, simulator } = this.#d;
    c.seenOwnStatus = true;
    this.#decide(c, outcomeOfStatus(status.state, status.reason));
    if (status.destination_id) c.destination = status.destination_id;
    if (status.reason && c.reasons.at(-1) !== status.reason) c.reasons.push(status.reason);
    if (status.state === 'escorting' && c.phase === 'asked') {
      c.phase = 'escorting';
      c.escortStartS = this.#d.now();
      this.#d.onEscortStart?.(c.index, c.escortStartS);
      c.lastPose = world.robotPose();
      simulator.bindCustomer(c.personId);
      world.person(c.personId)?.follow(() => world.robotPose());
    } else if (status.state === 'arrived' && c.phase !== 'arrived') {
      c.phase = 'arrived';
      c.endS = this.#d.now();
      world.person(c.personId)?.stand();
    } else if (status.state === 'returning' && c.phase === 'arrived') {
      // The customer is at the desk; the robot's job with them is done.
      c.phase = 'finishing';
      simulator.bindCustomer(undefined);
      world.removePerson(c.personId);
    }
    if (status.state === 'handing_over') world.person(c.personId)?.stand();
    if (status.state === 'idle' || status.state === 'stopped_safe') this.#finish(c);
    // Turned away (or left by a robot that must charge): over once its outcome is known.
    else if (NOT_GUIDING_STATES.has(status.state) && c.outcome !== undefined) this.#finish(c);
  }

  #finish(c: CustomerRun): void {
    if (c.phase === 'done') return;
    const { world, simulator } = this.#d;
    c.endS ??= this.#d.now();
    c.phase = 'done';
    // A request that ended without a status deciding it is the mission's own failure.
    this.#decide(c, 'error');
    c.minPersonDistanceM = Math.min(c.minPersonDistanceM, world.metrics().minPersonDistanceM);
    simulator.bindCustomer(undefined);
    if (world.person(c.personId)) world.removePerson(c.personId);
    this.#current = undefined;
    this.#d.emit({
      t: this.#d.now(),
      kind: 'done',
      index: c.index,
      outcome: c.outcome ?? 'error',
      destination: c.destination,
      reason: c.reasons.at(-1) ?? '',
    });
  }

  #ask(c: CustomerRun): void {
    const { world } = this.#d;
    this.#overallMinPersonM = Math.min(this.#overallMinPersonM, world.metrics().minPersonDistanceM);
    world.addPerson({ id: c.personId, pose: standingPlace(world), role: 'customer' });
    // Measured per request from here on, the customer standing in front of the robot included.
    world.resetMinPersonDistance();
    c.phase = 'asked';
    c.askedAtS = this.#d.now();
    this.#current = c;
    if (this.#list) this.#asked.push(c);
    this.#d.emit({ t: c.askedAtS, kind: 'request', index: c.index, text: c.spec.ask });
    this.#lastOwnRequestId = c.requestId;
    this.#request.publish({
      request_id: c.requestId,
      text: c.spec.ask,
      language: c.spec.language,
      plain: c.spec.plain,
      mode: c.spec.mode,
    });
  }

  /**
   * Asked to let the robot go first, the customer steps into the nearest free space clear of its
   * way and falls in behind once it has passed (SimPerson.makeRoom).
   */
  #makeRoom(personId: string, index: number): void {
    const world = this.#d.world;
    const person = world.person(personId);
    if (!person) return;
    const moved = person.makeRoom(this.#plan, () => world.robotPose());
    const who = index >= 0 ? `customer ${index}` : 'the kiosk customer';
    this.#d.emit({
      t: this.#d.now(),
      kind: 'event',
      what: moved ? `${who} steps aside to let the robot by` : `${who} has nowhere to step aside to`,
    });
  }

  /**
   * The robot asks aloud: a passer-by standing where it has to pass (near its way on, within
   * earshot) steps aside too, and goes on their way once it has passed.
   */
  #passersByMakeRoom(): void {
    const world = this.#d.world;
    const robot = world.robotPose();
    const way = wayOn(robot, this.#plan, PASSER_BY_HEARS_M);
    if (way.length < 2) return;
    for (const person of world.people()) {
      if (person.role !== 'pedestrian') continue;
      if (Math.hypot(person.x - robot.x, person.y - robot.y) > PASSER_BY_HEARS_M) continue;
      const inTheWay = world.robotRadius + person.radius + PASSER_BY_MARGIN_M;
      if (distanceToPolyline(person.x, person.y, way) > inTheWay) continue;
      if (person.makeRoom(this.#plan)) {
        this.#d.emit({
          t: this.#d.now(),
          kind: 'event',
          what: `${person.id} steps aside to let the robot by`,
        });
      }
    }
  }

  /** Asked which desk they mean, the customer says the number of their choice (as the same request). */
  #pick(c: CustomerRun, pick: number): void {
    c.picked = true;
    this.#d.emit({ t: this.#d.now(), kind: 'event', what: `customer ${c.index} picks ${pick}` });
    this.#request.publish({
      request_id: c.requestId,
      text: String(pick),
      language: c.spec.language,
      plain: c.spec.plain,
      mode: c.spec.mode,
    });
  }

  /**
   * The robot turned this customer away (a kiosk request got in first): they step back and ask
   * again when it is free, as the same request of the scenario.
   */
  #askAgainLater(c: CustomerRun, kind: string): void {
    const { world, emit } = this.#d;
    if (world.person(c.personId)) world.removePerson(c.personId);
    this.#current = undefined;
    if (this.#list) this.#asked.pop();
    this.#nextIndex--;
    this.#next = c.spec;
    emit({ t: this.#d.now(), kind: 'event', what: `customer ${c.index} heard "${kind}" and will ask again` });
  }

  /** A request on /guide/request this play did not publish: someone at the kiosk asks. */
  #onRequest(requestId: string): void {
    if (requestId === this.#lastOwnRequestId || this.#external) return;
    // Guiding one of ours already: the mission turns it away, nobody needs to step up. One of
    // ours who has only just asked may lose the race instead (then they ask again later).
    if (this.#current && this.#current.phase !== 'asked') return;
    const id = requestId.slice(0, 64);
    this.#external = {
      requestId,
      personId: `kiosk-customer-${this.#externalCount++}`,
      phase: 'asked',
      askedAtS: this.#d.now(),
      seenOwnStatus: false,
      destination: '',
      reason: '',
    };
    // Its text is a real person's words: not repeated here.
    this.#d.emit({ t: this.#d.now(), kind: 'event', what: `kiosk request ${id}: someone asks at the kiosk` });
  }

  #onExternalStatus(ext: ExternalRun, status: GuideStatus): void {
    const { world, simulator, emit } = this.#d;
    ext.seenOwnStatus = true;
    if (status.destination_id) ext.destination = status.destination_id;
    if (status.reason) ext.reason = status.reason;
    ext.outcome ??= outcomeOfStatus(status.state, status.reason);
    if (status.state === 'escorting' && ext.phase === 'asked') {
      ext.phase = 'escorting';
      // They stand in front of the robot, as at its screen, and follow it as a person does.
      world.addPerson({ id: ext.personId, pose: standingPlace(world), role: 'customer' });
      simulator.bindCustomer(ext.personId);
      world.person(ext.personId)?.follow(() => world.robotPose());
      emit({
        t: this.#d.now(),
        kind: 'event',
        what: `kiosk request ${ext.requestId.slice(0, 64)}: a simulated customer follows the robot to ${ext.destination}`,
      });
    } else if (status.state === 'arrived' && ext.phase === 'escorting') {
      ext.phase = 'arrived';
      world.person(ext.personId)?.stand();
    } else if (status.state === 'returning' && ext.phase === 'arrived') {
      ext.phase = 'finishing';
      simulator.bindCustomer(undefined);
      world.removePerson(ext.personId);
    }
    if (status.state === 'idle' || status.state === 'stopped_safe') {
      this.#finishExternal(
        ext,
        `${ext.outcome ?? 'error'}${ext.destination ? ` at ${ext.destination}` : ''}`,
      );
    }
  }

  #finishExternal(ext: ExternalRun, how: string): void {
    const { world, simulator, emit } = this.#d;
    if (ext.phase !== 'asked') simulator.bindCustomer(undefined);
    if (world.person(ext.personId)) world.removePerson(ext.personId);
    this.#external = undefined;
    const why = ext.reason && ext.outcome !== 'arrived' ? ` (${ext.reason})` : '';
    emit({
      t: this.#d.now(),
      kind: 'event',
      what: `kiosk request ${ext.requestId.slice(0, 64)}: ${how}${why}`,
    });
  }

  #applyBehaviour(c: CustomerRun): void {
    const b = c.spec.behaviour;
    const t = this.#d.now();
    if (c.behaviourApplied || c.escortStartS === undefined || b.kind === 'follow') return;
    if (t - c.escortStartS < b.after) return;
    c.behaviourApplied = true;
    const { world, emit } = this.#d;
    const person = world.person(c.personId);
    if (!person) return;
    if (b.kind === 'fall_behind') {
      person.stopFollowingFor(b.for);
      emit({ t, kind: 'event', what: `customer ${c.index} stops for ${round(b.for, 1)} s` });
    } else if (b.kind === 'steps_aside') {
      const spot = asideSpot(world, person, b.distance);
      person.stepAsideTo(spot.x, spot.y, () => world.robotPose());
      c.awayUntilAsked = true;
      emit({ t, kind: 'event', what: `customer ${c.index} steps ${b.distance} m aside` });
    } else {
      person.wander(this.#d.rng.fork(`lost-${c.index}`));
      emit({ t, kind: 'event', what: `customer ${c.index} wanders off` });
    }
  }
}

/**
 * Where a customer stands to ask: about 1.2 m in front of the robot, facing it; where a wall or
 * an obstacle leaves little room in front (a robot stopped away from its dock, facing what
 * blocks it), beside or behind it instead, wherever there is most room.
 */
function standingPlace(world: SimWorld): Pose2D {
  const robot = world.robotPose();
  const roomy = world.personParams.radiusM + 0.3;
  let best: (Pose2D & { room: number }) | undefined;
  for (const turn of [0, Math.PI, Math.PI / 2, -Math.PI / 2]) {
    const a = robot.yaw + turn;
    const x = robot.x + 1.2 * Math.cos(a);
    const y = robot.y + 1.2 * Math.sin(a);
    const room = Math.min(
      world.caster.freeDistanceAt(x, y),
      world.obstacleClearance(x, y) + world.robot.radius,
    );
    if (turn === 0 && room >= roomy) return { x, y, yaw: a + Math.PI };
    if (!best || room > best.room) best = { x, y, yaw: a + Math.PI, room };
  }
  return { x: best!.x, y: best!.y, yaw: best!.yaw };
}

function isStream(c: readonly CustomerSpec[] | CustomerStream): c is CustomerStream {
  return !Array.isArray(c);
}

function newRun(spec: CustomerSpec, index: number): CustomerRun {
  return {
    spec,
    index,
    requestId: `req-${index}`,
    personId: `customer-${index}`,
    phase: 'waiting',
    askedAtS: 0,
    seenOwnStatus: false,
    destination: '',
    reasons: [],
    said: [],
    offered: [],
    picked: false,
    pathLengthM: 0,
    minPersonDistanceM: Infinity,
    behaviourApplied: false,
    awayUntilAsked: false,
  };
}

/** The robot counts as home within 0.5 m of its dock. */
export function atDock(pose: Pose2D, dock: Pose2D): boolean {
  const rel = relativePose(dock, pose);
  return Math.hypot(rel.x, rel.y) < 0.5;
}

/**
 * Where a customer who steps `distance` m aside goes: square to the robot's heading from where
 * they stand, on whichever side has more room (a notice board on the wall, a friend met).
 */
function asideSpot(
  world: SimWorld,
  person: { x: number; y: number },
  distance: number,
): { x: number; y: number } {
  const heading = world.robotPose().yaw;
  const room = (side: number) => {
    const x = person.x + side * distance * -Math.sin(heading);
    const y = person.y + side * distance * Math.cos(heading);
    return { x, y, clearance: world.caster.freeDistanceAt(x, y) };
  };
  const left = room(1);
  const right = room(-1);
  return left.clearance >= right.clearance ? left : right;
}

/** The part of `plan` from the point nearest `robot` on, about `lengthM` long, starting at the robot. */
function wayOn(robot: Pose2D, plan: ReadonlyArray<{ x: number; y: number }>, lengthM: number) {
  if (plan.length === 0) return [];
  let nearest = 0;
  plan.forEach((q, i) => {
    const best = plan[nearest]!;
    if (Math.hypot(q.x - robot.x, q.y - robot.y) < Math.hypot(best.x - robot.x, best.y - robot.y))
      nearest = i;
  });
  const out = [{ x: robot.x, y: robot.y }];
  let left = lengthM;
  for (let i = nearest; i < plan.length && left > 0; i++) {
    const q = plan[i]!;
    left -= Math.hypot(q.x - out.at(-1)!.x, q.y - out.at(-1)!.y);
    out.push(q);
  }
  return out;
}
