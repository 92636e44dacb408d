/**
 * A binary min-heap of cell indices keyed by float priorities, on typed arrays: no allocation
 * per push or pop (it grows by doubling, rarely, and keeps its size between searches). Used
 * with lazy deletion: a cell whose key improves is pushed again and the stale entry is skipped
 * when popped, which is cheaper than decrease-key bookkeeping on grids.
 */
export class MinHeap {
  #cells: Int32Array;
  #keys: Float64Array;
  #size = 0;

  constructor(initialCapacity = 1024) {
    this.#cells = new Int32Array(Math.max(16, initialCapacity));
    this.#keys = new Float64Array(Math.max(16, initialCapacity));
  }

  get size(): number {
    return this.#size;
  }

  clear(): void {
    this.#size = 0;
  }

  /** Key of the smallest entry (the heap must not be empty). */
  peekKey(): number {
    return this.#keys[0]!;
  }

  push(cell: number, key: number): void {
    if (this.#size === this.#cells.length) this.#grow();
    const cells = this.#cells;
    const keys = this.#keys;
    let i = this.#size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (pk <= key) break;
      cells[i] = cells[parent]!;
      keys[i] = pk;
      i = parent;
    }
    cells[i] = cell;
    keys[i] = key;
  }

  /** Removes and returns the cell with the smallest key (the heap must not be empty). */
  pop(): number {
    const cells = this.#cells;
    const keys = this.#keys;
    const top = cells[0]!;
    const n = --this.#size;
    if (n > 0) {
      const cell = cells[n]!;
      const key = keys[n]!;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= n) break;
        let ck = keys[child]!;
        if (child + 1 < n && keys[child + 1]! < ck) {
          child++;
          ck = keys[child]!;
        }
        if (ck >= key) break;
        cells[i] = cells[child]!;
        keys[i] = ck;
        i = child;
      }
      cells[i] = cell;
      keys[i] = key;
    }
    return top;
  }

  #grow(): void {
    const cells = new Int32Array(this.#cells.length * 2);
    cells.set(this.#cells);
    const keys = new Float64Array(this.#keys.length * 2);
    keys.set(this.#keys);
    this.#cells = cells;
    this.#keys = keys;
  }
}
