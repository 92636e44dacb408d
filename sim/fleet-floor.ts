/**
 * One floor shared by several robots, each in a world of its own (its own plant, lidar, battery
 * and people): after every lockstep step `sync()` copies each robot's true body and its world's
 * people and legs to where the other worlds look (SimWorld.shareFloor), so every robot's lidar
 * sees the others and their people, bumps into them, and its people step round them. The copies
 * are taken once all worlds have stepped, so no world sees another mid-step and the order the
 * worlds are stepped in changes nothing.
 */
import type { FloorNeighbours, SimWorld } from './world.js';

interface Body {
  x: number;
  y: number;
  radius: number;
}

interface Neighbours extends FloorNeighbours {
  readonly robots: Body[];
  readonly people: Body[];
  readonly legs: Body[];
}

export class SharedFloor {
  readonly #worlds: readonly SimWorld[];
  /** Each robot's body, one object for the floor's whole life (the others' views hold it). */
  readonly #bodies: Body[];
  readonly #views: Neighbours[];

  constructor(worlds: readonly SimWorld[]) {
    this.#worlds = worlds;
    this.#bodies = worlds.map((w) => ({ x: 0, y: 0, radius: w.robotRadius }));
    this.#views = worlds.map((_, i) => ({
      robots: this.#bodies.filter((_, j) => j !== i),
      people: [],
      legs: [],
    }));
    this.sync();
    // Alone on a floor, a world keeps no neighbours: it runs exactly as a scenario of one.
    if (worlds.length > 1) worlds.forEach((w, i) => w.shareFloor(this.#views[i]!));
  }

  /** Copies every robot's body and every world's people and legs to the other worlds' views. */
  sync(): void {
    this.#worlds.forEach((w, i) => {
      const pose = w.robotPose();
      this.#bodies[i]!.x = pose.x;
      this.#bodies[i]!.y = pose.y;
    });
    if (this.#worlds.length < 2) return;
    const people = this.#worlds.map((w) => w.people().map((p) => ({ x: p.x, y: p.y, radius: p.radius })));
    const legs = this.#worlds.map((w) => w.legDiscs().map((d) => ({ x: d.x, y: d.y, radius: d.radius })));
    this.#views.forEach((view, i) => {
      view.people.length = 0;
      view.legs.length = 0;
      for (let j = 0; j < this.#worlds.length; j++) {
        if (j === i) continue;
        for (const p of people[j]!) view.people.push(p);
        for (const d of legs[j]!) view.legs.push(d);
      }
    });
  }

  /** Edge-to-edge gap between two robots' bodies right now, m (negative: overlapping). */
  gap(a: number, b: number): number {
    const p = this.#bodies[a]!;
    const q = this.#bodies[b]!;
    return Math.hypot(p.x - q.x, p.y - q.y) - p.radius - q.radius;
  }
}
