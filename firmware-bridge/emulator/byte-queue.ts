/**
 * Bytes on a serial wire, each with the CPU cycle at which its stop bit ends: a growable ring so
 * the hot loop neither allocates nor shifts arrays.
 */
export class TimedByteQueue {
  #bytes = new Uint8Array(256);
  #at = new Float64Array(256);
  #head = 0;
  #length = 0;
  /** Arrival cycle of the last byte queued (or 0): the next byte cannot finish before it. */
  lastAt = 0;

  get length(): number {
    return this.#length;
  }

  /** Arrival cycle of the oldest byte, Infinity when empty. */
  get nextAt(): number {
    return this.#length === 0 ? Infinity : this.#at[this.#head]!;
  }

  push(byte: number, at: number): void {
    if (this.#length === this.#bytes.length) this.#grow();
    const i = (this.#head + this.#length) & (this.#bytes.length - 1);
    this.#bytes[i] = byte;
    this.#at[i] = at;
    this.#length++;
    this.lastAt = at;
  }

  /** Removes and returns the oldest byte; call only when `length > 0`. */
  shift(): number {
    const byte = this.#bytes[this.#head]!;
    this.#head = (this.#head + 1) & (this.#bytes.length - 1);
    this.#length--;
    return byte;
  }

  /** Empties the wire: the next byte follows nothing. */
  clear(): void {
    this.#head = 0;
    this.#length = 0;
    this.lastAt = 0;
  }

  #grow(): void {
    const size = this.#bytes.length;
    const bytes = new Uint8Array(size * 2);
    const at = new Float64Array(size * 2);
    for (let k = 0; k < this.#length; k++) {
      const i = (this.#head + k) & (size - 1);
      bytes[k] = this.#bytes[i]!;
      at[k] = this.#at[i]!;
    }
    this.#bytes = bytes;
    this.#at = at;
    this.#head = 0;
  }
}
