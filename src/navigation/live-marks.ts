/**
 * The obstacle layer's marks: the few hundred cells the lidar or /people marked, each with when
 * it was last seen and whether it is a person's ring. Held by mark, not by cell: per-cell arrays
 * for this cost five bytes for every cell of the floor (10 MB on a 2-million-cell floor) to
 * hold a few hundred values. A cell's mark is found through a hash map.
 */
export class LiveMarks {
  /** cell → its slot in the arrays below. */
  readonly #slotOf = new Map<number, number>();
  #cells = new Int32Array(1024);
  #seenAt = new Float64Array(1024);
  #person = new Uint8Array(1024);
  #count = 0;

  get count(): number {
    return this.#count;
  }

  /** The slot of `cell`'s mark, or -1 when it has none. */
  slotOf(cell: number): number {
    return this.#slotOf.get(cell) ?? -1;
  }

  cellAt(slot: number): number {
    return this.#cells[slot]!;
  }

  seenAt(slot: number): number {
    return this.#seenAt[slot]!;
  }

  isPerson(slot: number): boolean {
    return this.#person[slot] === 1;
  }

  /** Marks `cell` seen at `time` (adding it if new); true when the cell was not marked before. */
  see(cell: number, time: number, person: boolean): boolean {
    const slot = this.#slotOf.get(cell);
    if (slot !== undefined) {
      this.#seenAt[slot] = time;
      if (!person) this.#person[slot] = 0; // the lidar sees it: it clears as any other mark now
      return false;
    }
    if (this.#count === this.#cells.length) this.#grow();
    const s = this.#count++;
    this.#cells[s] = cell;
    this.#seenAt[s] = time;
    this.#person[s] = person ? 1 : 0;
    this.#slotOf.set(cell, s);
    return true;
  }

  /** Removes the mark in `slot`; the last mark moves into it (walk slots from the end, or re-read it). */
  removeAt(slot: number): void {
    const last = --this.#count;
    this.#slotOf.delete(this.#cells[slot]!);
    if (slot !== last) {
      const moved = this.#cells[last]!;
      this.#cells[slot] = moved;
      this.#seenAt[slot] = this.#seenAt[last]!;
      this.#person[slot] = this.#person[last]!;
      this.#slotOf.set(moved, slot);
    }
  }

  clear(): void {
    this.#slotOf.clear();
    this.#count = 0;
  }

  /** The marked cells (row-major indices), a copy. */
  cells(): Int32Array {
    return this.#cells.slice(0, this.#count);
  }

  #grow(): void {
    const n = this.#cells.length * 2;
    const cells = new Int32Array(n);
    const seenAt = new Float64Array(n);
    const person = new Uint8Array(n);
    cells.set(this.#cells);
    seenAt.set(this.#seenAt);
    person.set(this.#person);
    [this.#cells, this.#seenAt, this.#person] = [cells, seenAt, person];
  }
}
