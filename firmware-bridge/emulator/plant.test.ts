import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PLANT_PARAMS as P,
  DrivePlant,
  LEFT,
  RIGHT,
  channelA,
  channelB,
  countedEdges,
  distanceOver,
  speedAfter,
  steadySpeed,
  type Side,
} from './plant.js';

const STEP_S = 100e-6;

/** Steps the plant for `seconds` at constant drives; walks every encoder edge in time order like the board. */
function drive(
  plant: DrivePlant,
  seconds: number,
  left: number,
  right: number,
  volts = 12,
  onEdge?: (side: Side, q: number, t: number) => void,
): void {
  const steps = Math.round(seconds / STEP_S);
  for (let k = 0; k < steps; k++) {
    plant.beginStep(STEP_S, left, right, volts);
    for (;;) {
      const fl = plant.nextEdgeFraction(LEFT);
      const fr = plant.nextEdgeFraction(RIGHT);
      if (fl === Infinity && fr === Infinity) break;
      const side: Side = fl <= fr ? LEFT : RIGHT;
      const q = plant.applyEdge(side);
      onEdge?.(side, q, (k + Math.min(fl, fr)) * STEP_S);
    }
    plant.endStep();
    for (const side of [LEFT, RIGHT] as const) {
      while (plant.owedEdges(side) !== 0) {
        const q = plant.settleEdge(side);
        onEdge?.(side, q, (k + 1) * STEP_S);
      }
    }
  }
}

/** What the drive firmware does on each edge of A: A != B after it means forward. */
function decoder(): { counts: [number, number]; onEdge: (side: Side, q: number) => void } {
  const levels: [[number, number], [number, number]] = [
    [0, 0],
    [0, 0],
  ];
  const counts: [number, number] = [0, 0];
  return {
    counts,
    onEdge: (side, q) => {
      const [a0] = levels[side];
      const a = channelA(q);
      const b = channelB(q);
      levels[side] = [a, b];
      if (a !== a0) counts[side] += a !== b ? 1 : -1;
    },
  };
}

describe('motor model', () => {
  it('settles at the no-load speed scaled by duty past the deadband and by battery voltage', () => {
    expect(steadySpeed(1, 12, P)).toBeCloseTo(1.5, 9);
    expect(steadySpeed(-1, 12, P)).toBeCloseTo(-1.5, 9);
    expect(steadySpeed(1, 10.5, P)).toBeCloseTo(1.5 * (10.5 / 12), 9);
    expect(steadySpeed(0.515, 12, P)).toBeCloseTo(0.75, 9); // (0.515 - 0.03) / 0.97 = 0.5
    expect(steadySpeed(0.03, 12, P)).toBe(0);
    expect(steadySpeed(-0.02, 12, P)).toBe(0);
  });

  it('integrates the first-order lag exactly: speed and distance agree with the closed form over many steps', () => {
    const decay = Math.exp(-STEP_S / P.timeConstantS);
    let v = 0;
    let x = 0;
    for (let k = 0; k < 600; k++) {
      x += distanceOver(v, 1.5, STEP_S, P.timeConstantS, decay);
      v = speedAfter(v, 1.5, decay);
    }
    const t = 0.06; // one time constant
    expect(v).toBeCloseTo(1.5 * (1 - Math.exp(-1)), 9);
    expect(x).toBeCloseTo(1.5 * (t - P.timeConstantS * (1 - Math.exp(-t / P.timeConstantS))), 9);
  });

  it('reaches 63 % of the step in one time constant and stops from coasting when the drive goes', () => {
    const plant = new DrivePlant();
    drive(plant, 0.06, 1, -0.515);
    expect(plant.speed(LEFT)).toBeCloseTo(1.5 * 0.632, 2);
    expect(plant.speed(RIGHT)).toBeCloseTo(-0.75 * 0.632, 2);
    drive(plant, 1.5, 0, 0);
    expect(plant.speed(LEFT)).toBe(0); // held by friction, not creeping forever
    expect(plant.speed(RIGHT)).toBe(0);
  });
});

describe('quadrature encoder', () => {
  it('runs (A,B) through 00 → 10 → 11 → 01 going forward: B lags A by 90°', () => {
    const states = [0, 1, 2, 3, 4, -1].map((q) => `${channelA(q)}${channelB(q)}`);
    expect(states).toEqual(['00', '10', '11', '01', '00', '01']);
    expect([0, 1, 2, 3, 4, 5, -1, -2, -3].map(countedEdges)).toEqual([0, 1, 1, 2, 2, 3, 0, -1, -1]);
  });

  it('gives ticks_per_m counted A edges per metre, each seen forward by the firmware rule A != B', () => {
    const plant = new DrivePlant();
    const dec = decoder();
    drive(plant, 2, 0.8, -0.6, 12, dec.onEdge);
    const xl = plant.position(LEFT);
    const xr = plant.position(RIGHT);
    expect(xl).toBeGreaterThan(1.5);
    expect(xr).toBeLessThan(-1);
    expect(plant.ticks(LEFT)).toBe(Math.floor(Math.floor(xl * 4000 + 1) / 2));
    expect(Math.abs(plant.ticks(LEFT) - xl * P.ticksPerM)).toBeLessThanOrEqual(1);
    expect(Math.abs(plant.ticks(RIGHT) - xr * P.ticksPerM)).toBeLessThanOrEqual(1);
    expect(dec.counts).toEqual([plant.ticks(LEFT), plant.ticks(RIGHT)]);
  });

  it('counts back down when a wheel reverses', () => {
    const plant = new DrivePlant({ ticksPerM: 500 });
    const dec = decoder();
    drive(plant, 0.5, 0.5, 0.5, 12, dec.onEdge);
    const peak = plant.ticks(LEFT);
    drive(plant, 1, -0.5, 0.5, 12, dec.onEdge);
    expect(plant.ticks(LEFT)).toBeLessThan(peak - 100);
    expect(dec.counts[LEFT]).toBe(plant.ticks(LEFT));
    expect(Math.abs(dec.counts[LEFT] - plant.position(LEFT) * 500)).toBeLessThanOrEqual(1);
  });

  it('places edges evenly in time at a steady speed: every 1/(2·ticks·v) s', () => {
    const plant = new DrivePlant();
    drive(plant, 1, 0.5, 0); // settle at 0.75 m/s
    const times: number[] = [];
    drive(plant, 0.05, 0.5, 0, 12, (side, _q, t) => {
      if (side === LEFT) times.push(t);
    });
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const expected = 1 / (2 * P.ticksPerM * plant.speed(LEFT));
    for (const gap of gaps) expect(gap).toBeCloseTo(expected, 7);
    expect(gaps.length).toBeGreaterThan(100);
  });

  it('refuses nonsense parameters with their name', () => {
    expect(() => new DrivePlant({ ticksPerM: 0 })).toThrow(
      /plant\.ticksPerM: expected a number in \[1, 1000000\], found 0/,
    );
  });
});
