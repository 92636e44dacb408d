/**
 * The scenario's events, fired when due: an obstacle appears (and goes again), a staff member
 * presses or releases the e-stop, an operator cancels, dispatches, pauses or resumes, staff set
 * a desk's status, a sensor goes wrong for a while. Times are absolute or counted from the start of a request's escort. Each goes
 * through the robot's own services and topics, as the console would send it.
 */
import type { DeskStatus } from '../src/interfaces/index.js';
import { header, nsToTimeMsg, type RosNode } from '../src/ros/index.js';
import type { LiveEvent } from '../src/telemetry/index.js';
import type { DeskStatusSpec, ScenarioEvent } from './scenario.js';
import type { SimWorld } from './world.js';

export interface EventScheduleDeps {
  node: RosNode;
  world: SimWorld;
  /** Seconds since the run started. */
  now: () => number;
  emit: (e: LiveEvent) => void;
  /** A localisation fault (kidnap, odometry slip, quiet lidar) was injected now. */
  onFault?: (kind: string) => void;
}

interface Pending {
  readonly e: ScenarioEvent;
  /** Place in the file: events due in the same step fire in file order. */
  readonly index: number;
  fired: boolean;
}

/**
 * Events wait in time order and are looked at only when due: timed ones in a list sorted by
 * time, those counted from a request armed (put in a queue by due time) once its escort starts.
 * A step costs what fires in it, not the number of events in the file.
 */
export class EventSchedule {
  readonly #all: Pending[];
  readonly #timed: Pending[];
  #nextTimed = 0;
  /** Request-timed events not yet armed, by request index. */
  readonly #byRequest = new Map<number, Pending[]>();
  readonly #armed = new DueQueue<Pending>();
  #requestEventsLeft = 0;
  readonly #obstacleExpiry: Array<{ id: string; atS: number }> = [];
  /** Faults that end by themselves (a slip, a quiet lidar): undone when their time is up. */
  readonly #faultExpiry: Array<{ atS: number; end: () => void }> = [];
  readonly #d: EventScheduleDeps;
  readonly #estop;
  readonly #cancel;
  readonly #dispatch;
  readonly #pause;
  readonly #deskStatus;
  /** Every desk status staff have set (the latched topic carries them all). */
  readonly #desks = new Map<string, DeskStatus>();

  constructor(events: readonly ScenarioEvent[], deps: EventScheduleDeps) {
    this.#all = events.map((e, index) => ({ e, index, fired: false }));
    const at = (p: Pending) => ('at' in p.e.time ? p.e.time.at : 0);
    this.#timed = this.#all
      .filter((p) => 'at' in p.e.time)
      .sort((a, b) => at(a) - at(b) || a.index - b.index);
    for (const p of this.#all) {
      if (!('request' in p.e.time)) continue;
      const list = this.#byRequest.get(p.e.time.request) ?? [];
      list.push(p);
      this.#byRequest.set(p.e.time.request, list);
      this.#requestEventsLeft++;
    }
    this.#d = deps;
    this.#estop = deps.node.createClient('std_srvs/srv/SetBool', '/safety/estop');
    this.#cancel = deps.node.createClient('std_srvs/srv/Trigger', '/guide/cancel');
    this.#dispatch = deps.node.createClient('medhjalparen_msgs/srv/Dispatch', '/guide/dispatch');
    this.#pause = deps.node.createClient('std_srvs/srv/SetBool', '/guide/pause');
    this.#deskStatus = deps.node.createPublisher(
      'medhjalparen_msgs/msg/DeskStatusArray',
      '/guide/desk_status',
      {
        qos: { durability: 'transient_local' },
      },
    );
  }

  /** Every event has fired (timed or counted from a request). */
  allFired(): boolean {
    return this.#nextTimed >= this.#timed.length && this.#requestEventsLeft === 0;
  }

  /** Request `index`'s escort started at `startS`: its events are due `after` s from then. */
  arm(index: number, startS: number): void {
    for (const p of this.#byRequest.get(index) ?? []) {
      if ('request' in p.e.time) this.#armed.push(p, startS + p.e.time.after, p.index);
    }
    this.#byRequest.delete(index);
  }

  /** Fires what is due and removes obstacles whose time is up. */
  step(): void {
    const t = this.#d.now();
    const due: Pending[] = [];
    while (this.#nextTimed < this.#timed.length) {
      const p = this.#timed[this.#nextTimed]!;
      if ('at' in p.e.time && t < p.e.time.at) break;
      due.push(p);
      this.#nextTimed++;
    }
    while (this.#armed.size > 0 && this.#armed.peekDue() <= t) due.push(this.#armed.pop());
    if (due.length > 1) due.sort((a, b) => a.index - b.index);
    for (const p of due) {
      p.fired = true;
      if ('request' in p.e.time) this.#requestEventsLeft--;
      this.#fire(p.e);
    }
    for (let i = this.#obstacleExpiry.length - 1; i >= 0; i--) {
      const expiry = this.#obstacleExpiry[i]!;
      if (expiry.atS > t) continue;
      this.#d.world.removeObstacle(expiry.id);
      this.#d.emit({ t, kind: 'event', what: `obstacle ${expiry.id} removed` });
      this.#obstacleExpiry.splice(i, 1);
    }
    for (let i = this.#faultExpiry.length - 1; i >= 0; i--) {
      const expiry = this.#faultExpiry[i]!;
      if (expiry.atS > t) continue;
      this.#faultExpiry.splice(i, 1);
      expiry.end();
    }
  }

  /** Where each event that never happened stands in the file. */
  neverFired(): string[] {
    return this.#all.filter((p) => !p.fired).map((p) => p.e.where);
  }

  #fire(e: ScenarioEvent): void {
    const { world, emit } = this.#d;
    const t = this.#d.now();
    switch (e.kind) {
      case 'obstacle':
        world.addObstacle(e.obstacle);
        if (e.durationS !== undefined) this.#obstacleExpiry.push({ id: e.obstacle.id, atS: t + e.durationS });
        emit({
          t,
          kind: 'event',
          what: `obstacle ${e.obstacle.id} appears at (${e.obstacle.x}, ${e.obstacle.y})`,
        });
        break;
      case 'estop':
        this.#estop.sendRequest({ data: e.action === 'press' }, () => {});
        emit({ t, kind: 'event', what: `e-stop ${e.action === 'press' ? 'pressed' : 'released'}` });
        break;
      case 'cancel':
        this.#cancel.sendRequest({}, () => {});
        emit({ t, kind: 'event', what: 'operator cancels the mission' });
        break;
      case 'dispatch':
        emit({ t, kind: 'event', what: `operator dispatches the robot to ${e.destination}` });
        this.#dispatch.sendRequest({ destination_id: e.destination }, (r) => {
          if (!r.success) emit({ t: this.#d.now(), kind: 'event', what: `dispatch refused: ${r.message}` });
        });
        break;
      case 'pause':
      case 'resume':
        emit({ t, kind: 'event', what: `operator ${e.kind === 'pause' ? 'pauses' : 'resumes'} the robot` });
        this.#pause.sendRequest({ data: e.kind === 'pause' }, (r) => {
          if (!r.success) emit({ t: this.#d.now(), kind: 'event', what: `${e.kind} refused: ${r.message}` });
        });
        break;
      case 'desk_status':
        this.#setDesk(e.desk);
        emit({ t, kind: 'event', what: `staff set ${e.desk.desk} ${e.desk.state}` });
        break;
      case 'kidnap':
      case 'odometry_slip':
      case 'lidar_quiet':
        this.#fault(e, t);
        break;
      case 'battery_fault':
        this.#batteryFault(e, t);
        break;
    }
  }

  /** A localisation fault: the world changes as the real floor would, and the watch follows it. */
  #fault(e: Extract<ScenarioEvent, { kind: 'kidnap' | 'odometry_slip' | 'lidar_quiet' }>, t: number): void {
    const { world, emit } = this.#d;
    const ends = (what: string, end: () => void) =>
      this.#faultExpiry.push({
        atS: t + ('durationS' in e ? e.durationS : 0),
        end: () => {
          end();
          emit({ t: this.#d.now(), kind: 'event', what });
        },
      });
    if (e.kind === 'kidnap') {
      const from = world.robotPose();
      world.kidnap(e.to);
      const d = Math.hypot(e.to.x - from.x, e.to.y - from.y);
      emit({ t, kind: 'event', what: `robot carried ${d.toFixed(1)} m to (${e.to.x}, ${e.to.y})` });
    } else if (e.kind === 'odometry_slip') {
      world.setOdometryFault({ scale: e.scale, driftRadPerM: e.driftRadPerM });
      emit({
        t,
        kind: 'event',
        what: `wheel odometry slips (scale ${e.scale}, drift ${e.driftRadPerM} rad/m)`,
      });
      ends('wheel odometry right again', () => world.setOdometryFault(undefined));
    } else {
      world.lidarQuiet = true;
      emit({ t, kind: 'event', what: `lidar quiet for ${e.durationS} s` });
      ends('lidar back', () => (world.lidarQuiet = false));
    }
    this.#d.onFault?.(e.kind);
  }

  /** The battery's reading goes wrong for a while (the pack does not): the robot's estimate must cope. */
  #batteryFault(e: Extract<ScenarioEvent, { kind: 'battery_fault' }>, t: number): void {
    const { world, emit } = this.#d;
    world.setBatteryReadingFault(e.fault);
    const f = e.fault;
    const what = f.kind === 'jump' ? `jumps by ${f.offsetV} V` : f.kind === 'nan' ? 'reads NaN' : 'freezes';
    emit({ t, kind: 'event', what: `battery reading ${what} for ${e.durationS} s` });
    this.#faultExpiry.push({
      atS: t + e.durationS,
      end: () => {
        world.setBatteryReadingFault(undefined);
        emit({ t: this.#d.now(), kind: 'event', what: 'battery reading right again' });
      },
    });
  }

  /** One desk's status changed: the whole set goes out again on the latched topic. */
  #setDesk(spec: DeskStatusSpec): void {
    if (spec.state === 'hours') this.#desks.delete(spec.desk);
    else {
      this.#desks.set(spec.desk, {
        destination_id: spec.desk,
        state: spec.state,
        note: spec.note,
        until: nsToTimeMsg(BigInt(spec.untilEpochMs ?? 0) * 1_000_000n),
      });
    }
    this.#deskStatus.publish({ header: header('', this.#d.node.now()), desks: [...this.#desks.values()] });
  }
}

/** A binary min-heap by due time, ties broken by file order. */
class DueQueue<T> {
  readonly #items: Array<{ item: T; due: number; order: number }> = [];

  get size(): number {
    return this.#items.length;
  }

  peekDue(): number {
    return this.#items[0]!.due;
  }

  push(item: T, due: number, order: number): void {
    const a = this.#items;
    a.push({ item, due, order });
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }

  pop(): T {
    const a = this.#items;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top.item;
  }
}

function before(a: { due: number; order: number }, b: { due: number; order: number }): boolean {
  return a.due < b.due || (a.due === b.due && a.order < b.order);
}
