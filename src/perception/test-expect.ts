import { expect } from 'vitest';
import { PerceptionError } from './errors.js';

/** The PerceptionError `fn` throws (failing the test if it throws nothing or something else). */
export function thrown(fn: () => unknown): PerceptionError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(PerceptionError);
    return err as PerceptionError;
  }
  throw new Error('expected a PerceptionError, nothing was thrown');
}
