/**
 * Where the robot went in a run, sampled on simulated time (so the same seed gives the same
 * samples on any machine and any worker), and where people stood, more sparsely. Positions are
 * rounded to centimetres: the map is drawn at that scale and the report stays small.
 */
import type { Pose2D } from '../../src/ros/index.js';

/** [x, y] in the map frame, m. */
export type Point = [number, number];

export interface Trajectory {
  /** Robot samples per second of simulated time. */
  hz: number;
  robot: Point[];
  /** Every person's position every PEOPLE_EVERY robot samples (simulated people only). */
  people: Point[];
}

/** People are sampled at a quarter of the robot's rate: they only shade where the floor was busy. */
const PEOPLE_EVERY = 4;
/** At most this many people positions a run (a crowd for hours is still a small report). */
const MAX_PEOPLE_POINTS = 2000;

export class TrajectorySampler {
  /** Samples due so far: the next is due at #due / hz seconds. */
  #due = 0;
  #count = 0;
  readonly #robot: Point[] = [];
  readonly #people: Point[] = [];

  constructor(readonly hz: number) {}

  /** Called as simulated time passes; records a sample when one is due. */
  sample(simS: number, robot: Pose2D, people: () => ReadonlyArray<{ x: number; y: number }>): void {
    if (simS * this.hz + 1e-9 < this.#due) return;
    while (this.#due <= simS * this.hz + 1e-9) this.#due++;
    this.#robot.push(point(robot));
    if (this.#count++ % PEOPLE_EVERY !== 0) return;
    for (const p of people()) {
      if (this.#people.length >= MAX_PEOPLE_POINTS) break;
      this.#people.push(point(p));
    }
  }

  /** The samples so far, with the robot's last pose added (where the run ended). */
  finish(robot: Pose2D): Trajectory {
    const last = this.#robot.at(-1);
    const end = point(robot);
    if (!last || last[0] !== end[0] || last[1] !== end[1]) this.#robot.push(end);
    return { hz: this.hz, robot: this.#robot, people: this.#people };
  }
}

function point(p: { x: number; y: number }): Point {
  return [Math.round(p.x * 100) / 100, Math.round(p.y * 100) / 100];
}

/**
 * At most `max` points of `points`, evenly spaced, the first and last kept: a polyline of an
 * hour's run drawn on a page needs a few hundred points, not seven thousand.
 */
export function downsample(points: readonly Point[], max: number): Point[] {
  if (points.length <= max) return [...points];
  const out: Point[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}
