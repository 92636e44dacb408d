/**
 * The simulator's only source of randomness: xoshiro128** (Blackman & Vigna), seeded through
 * splitmix32 from a hash of the seed and a stream label. Streams are independent by label, not by
 * draw order: `fork('odom')` gives the same numbers however many pedestrians drew before it, so
 * adding a person to a scenario does not change the odometry noise or the lidar noise.
 */
export class Rng {
  #a = 0;
  #b = 0;
  #c = 0;
  #d = 0;
  /** Box–Muller makes normals in pairs; the second waits here. */
  #spareNormal = NaN;
  /** The seed and the labels of every fork that led here: a stream's identity. */
  readonly path: string;

  constructor(seed: number | string) {
    this.path = String(seed);
    let s = hashString(this.path);
    // splitmix32 spreads the hash over the 128-bit state (never all zero).
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.#a = next();
    this.#b = next();
    this.#c = next();
    this.#d = next();
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#a = 1;
  }

  /** An independent stream named `label`, a pure function of this stream's path and the label. */
  fork(label: string): Rng {
    return new Rng(`${this.path}/${label}`);
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9);
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [a, b). */
  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Gaussian by Box–Muller. */
  normal(mean = 0, sd = 1): number {
    if (!Number.isNaN(this.#spareNormal)) {
      const z = this.#spareNormal;
      this.#spareNormal = NaN;
      return mean + sd * z;
    }
    // 1 - next() lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.next()));
    const theta = 2 * Math.PI * this.next();
    this.#spareNormal = r * Math.sin(theta);
    return mean + sd * r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** FNV-1a over UTF-16 code units, then a murmur3 finaliser: a well-spread 32-bit seed. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}
