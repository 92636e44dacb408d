/**
 * What the people of a crowd are doing, above the social force model's step: groups that walk
 * together to the same places, people queueing at a desk (a line in front of it, served one at a
 * time, the line moving up), people who stop to read a sign at a landmark, and wanderers (who
 * need nothing here: SimPerson wanders on its own). A CrowdDirector is stepped by the world
 * before anyone thinks; every draw comes from the generators it is given, so a seed repeats.
 */
import type { Pose2D } from '../src/ros/index.js';
import type { Point2 } from './people-nav.js';
import type { SimPerson } from './person.js';
import type { Rng } from './rng.js';
import type { SimWorld } from './world.js';

export interface CrowdBehaviourParams {
  /** Distance between people in a queue, centre to centre, m. */
  queueSpacingM: number;
  /** The queue's head stands this far to the side of the desk's pose (the robot's spot), m. */
  queueSideM: number;
  /** At most this many in one queue (the line must fit the floor, too). */
  queueMaxLength: number;
  /** Service time at the desk, uniform, s. */
  serviceMinS: number;
  serviceMaxS: number;
  /** A reader reads this long, uniform, s. */
  readMinS: number;
  readMaxS: number;
  /** Between errands (a queue, a sign) people walk a leg at least this long, m. */
  legM: number;
  /** A group waits for its last member this long at most before walking on, s. */
  groupWaitS: number;
  /** Group members aim at points this far apart across their way, m (they walk abreast). */
  groupSpreadM: number;
}

export const DEFAULT_CROWD_BEHAVIOUR_PARAMS: CrowdBehaviourParams = {
  queueSpacingM: 0.8,
  queueSideM: 1.2,
  queueMaxLength: 8,
  serviceMinS: 10,
  serviceMaxS: 40,
  readMinS: 3,
  readMaxS: 8,
  legM: 4,
  groupWaitS: 10,
  groupSpreadM: 0.7,
};

/** A line at a desk: its slots (head first) and who stands in it. */
export class DeskQueue {
  readonly members: SimPerson[] = [];
  /** When the head's service ends (NaN until the head stands at the desk). */
  servedAtS = NaN;

  constructor(
    readonly desk: string,
    readonly slots: readonly Point2[],
  ) {}

  get full(): boolean {
    return this.members.length >= this.slots.length;
  }

  /** Joins the end of the line; each member walks to their slot. */
  join(p: SimPerson): void {
    this.members.push(p);
    p.walkTo(this.slots[this.members.length - 1]!.x, this.slots[this.members.length - 1]!.y);
  }

  /** The head leaves; everyone moves up a slot. */
  serveHead(): SimPerson | undefined {
    const head = this.members.shift();
    this.servedAtS = NaN;
    this.members.forEach((m, i) => m.walkTo(this.slots[i]!.x, this.slots[i]!.y));
    return head;
  }
}

type Agent =
  | { kind: 'reader'; person: SimPerson; rng: Rng; phase: 'leg' | 'to_sign' | 'reading'; untilS: number }
  | { kind: 'queuer'; person: SimPerson; rng: Rng; phase: 'leg' | 'queue'; queue?: DeskQueue }
  | { kind: 'group'; members: SimPerson[]; rng: Rng; untilS: number; walkingSinceS: number };

/**
 * The line slots at a desk: the head `queueSideM` to the side of the robot's spot (the robot
 * must still reach it), the rest behind, `queueSpacingM` apart, as far as the floor allows.
 * The side with the longer line wins; none when not even the head fits.
 */
export function queueSlots(world: SimWorld, desk: Pose2D, p: CrowdBehaviourParams): Point2[] {
  const fx = Math.cos(desk.yaw);
  const fy = Math.sin(desk.yaw);
  let best: Point2[] = [];
  for (const side of [1, -1]) {
    const hx = desk.x - fy * side * p.queueSideM;
    const hy = desk.y + fx * side * p.queueSideM;
    const slots: Point2[] = [];
    for (let k = 0; k < p.queueMaxLength; k++) {
      const x = hx - fx * k * p.queueSpacingM;
      const y = hy - fy * k * p.queueSpacingM;
      const cell = world.nav.cellAt(x, y);
      if (cell < 0 || !world.nav.walkable[cell] || world.caster.freeDistanceAt(x, y) < 0.35) break;
      slots.push({ x, y });
    }
    if (slots.length > best.length) best = slots;
  }
  return best;
}

export class CrowdDirector {
  readonly #agents: Agent[] = [];
  readonly queues: DeskQueue[] = [];
  readonly #signs: Point2[];

  constructor(
    private readonly world: SimWorld,
    readonly params: CrowdBehaviourParams = DEFAULT_CROWD_BEHAVIOUR_PARAMS,
  ) {
    const site = world.site;
    for (const d of site.destinations) {
      const slots = queueSlots(world, d.pose, params);
      if (slots.length > 0) this.queues.push(new DeskQueue(d.id, slots));
    }
    // Signs: the site's landmarks; a site without any has its desks' name boards.
    this.#signs =
      site.landmarks.length > 0
        ? site.landmarks.map((l) => ({ ...l.position }))
        : site.destinations.map((d) => ({ x: d.pose.x, y: d.pose.y }));
  }

  /** True when the site has at least one desk a line fits at. */
  get hasQueues(): boolean {
    return this.queues.length > 0;
  }

  get hasSigns(): boolean {
    return this.#signs.length > 0;
  }

  addReader(person: SimPerson, rng: Rng): void {
    this.#agents.push({ kind: 'reader', person, rng, phase: 'leg', untilS: 0 });
    this.#leg(person, rng);
  }

  addQueuer(person: SimPerson, rng: Rng): void {
    const agent: Agent = { kind: 'queuer', person, rng, phase: 'leg' };
    this.#agents.push(agent);
    this.#joinQueue(agent);
  }

  /** A group walks together: the same goals, at the pace of its slowest. */
  addGroup(members: SimPerson[], rng: Rng): void {
    for (const m of members) m.crowd.group = members;
    const agent: Agent = { kind: 'group', members, rng, untilS: 0, walkingSinceS: 0 };
    this.#agents.push(agent);
    this.#groupGoal(agent);
  }

  /** Decides what each errand does next; called every step before people think. */
  step(): void {
    const now = this.world.timeS;
    for (const a of this.#agents) {
      if (a.kind === 'reader') this.#stepReader(a, now);
      else if (a.kind === 'queuer') this.#stepQueuer(a, now);
      else this.#stepGroup(a, now);
    }
    for (const q of this.queues) this.#stepQueue(q, now);
  }

  #stepReader(a: Extract<Agent, { kind: 'reader' }>, now: number): void {
    const p = a.person;
    if (p.mode === 'walk_to' || p.mode === 'wander') return;
    if (a.phase === 'leg') {
      const sign = this.#signs[a.rng.int(this.#signs.length)]!;
      a.phase = 'to_sign';
      p.walkTo(sign.x, sign.y);
    } else if (a.phase === 'to_sign') {
      a.phase = 'reading';
      a.untilS = now + a.rng.uniform(this.params.readMinS, this.params.readMaxS);
    } else if (now >= a.untilS) {
      a.phase = 'leg';
      this.#leg(p, a.rng);
    }
  }

  #stepQueuer(a: Extract<Agent, { kind: 'queuer' }>, _now: number): void {
    const p = a.person;
    if (a.phase === 'queue') {
      if (a.queue && !a.queue.members.includes(p)) {
        // Served: walk away, then queue again somewhere.
        a.queue = undefined;
        a.phase = 'leg';
        this.#leg(p, a.rng);
      }
      return;
    }
    if (p.mode !== 'walk_to') this.#joinQueue(a);
  }

  #stepQueue(q: DeskQueue, now: number): void {
    const head = q.members[0];
    if (!head) return;
    if (Number.isNaN(q.servedAtS)) {
      if (head.mode !== 'stand' || !head.arrived) return;
      const rng = this.#rngOf(head);
      q.servedAtS = now + (rng ? rng.uniform(this.params.serviceMinS, this.params.serviceMaxS) : 0);
    } else if (now >= q.servedAtS) {
      q.serveHead();
    }
  }

  #rngOf(person: SimPerson): Rng | undefined {
    for (const a of this.#agents) if (a.kind === 'queuer' && a.person === person) return a.rng;
    return undefined;
  }

  #joinQueue(a: Extract<Agent, { kind: 'queuer' }>): void {
    const open = this.queues.filter((q) => !q.full);
    if (open.length === 0) {
      this.#leg(a.person, a.rng);
      return;
    }
    const q = open[a.rng.int(open.length)]!;
    q.join(a.person);
    a.queue = q;
    a.phase = 'queue';
  }

  #stepGroup(a: Extract<Agent, { kind: 'group' }>, now: number): void {
    const walking = a.members.some((m) => m.mode === 'walk_to');
    const waited = now - a.walkingSinceS > this.params.groupWaitS;
    const someArrived = a.members.some((m) => m.arrived);
    if (walking && !(someArrived && waited)) return;
    if (a.untilS === 0) {
      a.untilS = now + a.rng.uniform(0, this.world.personParams.wanderPauseMaxS);
      for (const m of a.members) if (m.mode === 'walk_to') m.stand();
      return;
    }
    if (now < a.untilS) return;
    this.#groupGoal(a);
  }

  /** A new place for the whole group, each member aiming beside the others (abreast). */
  #groupGoal(a: Extract<Agent, { kind: 'group' }>): void {
    const lead = a.members[0]!;
    const goal = this.world.nav.randomPointNear(a.rng, lead.x, lead.y, this.params.legM);
    a.untilS = 0;
    a.walkingSinceS = this.world.timeS;
    if (!goal) return;
    const dx = goal.x - lead.x;
    const dy = goal.y - lead.y;
    const d = Math.hypot(dx, dy) || 1;
    const n = a.members.length;
    a.members.forEach((m, i) => {
      const off = (i - (n - 1) / 2) * this.params.groupSpreadM;
      const x = goal.x - (dy / d) * off;
      const y = goal.y + (dx / d) * off;
      const free = this.world.caster.freeDistanceAt(x, y) >= m.radius + 0.05;
      m.walkTo(free ? x : goal.x, free ? y : goal.y);
    });
  }

  /** A leg somewhere else on the floor before the next errand. */
  #leg(person: SimPerson, rng: Rng): void {
    const goal = this.world.nav.randomPointNear(rng, person.x, person.y, this.params.legM);
    if (goal) person.walkTo(goal.x, goal.y);
    else person.stand();
  }
}
