/**
 * The stream decoders' output: what `push(bytes)` decoded waits here until `next()` takes it.
 * An array with a read index, reset once drained, so a steady stream allocates nothing per item.
 */
export class Fifo<T> {
  readonly #items: Array<T | undefined> = [];
  #head = 0;

  push(item: T): void {
    this.#items.push(item);
  }

  /** The oldest item, or undefined when none is waiting. */
  next(): T | undefined {
    if (this.#head >= this.#items.length) {
      if (this.#head > 0) this.#items.length = this.#head = 0;
      return undefined;
    }
    const item = this.#items[this.#head];
    this.#items[this.#head++] = undefined; // let it go as soon as it is taken
    return item;
  }
}
