/**
 * Makes @foxglove/cdr write strings as UTF-8 bytes. Its CdrWriter.string (3.5.0, the newest
 * release) takes the JavaScript string length (UTF-16 code units) as the byte count, so 'Hyvää
 * päivää' is written with a length prefix two bytes short and loses its last two bytes: every
 * Finnish and Swedish phrase the robot says would reach a recording or a live view cut off.
 * Upstream fixed it after that release (foxglove/cdr pull request 35); until a release carries the
 * fix, the method is replaced here with one that writes the encoded bytes. The writer grows its
 * buffer on demand, so the MessageWriter's size estimate (also counting code units) being short
 * costs a copy, never a wrong byte. registry.test.ts pins the exact bytes of a non-ASCII string.
 */
import { CdrWriter } from '@foxglove/cdr';

const encoder = new TextEncoder();
const ascii = /^[^\u0080-\uffff]*$/;
const { string: codeUnitString } = CdrWriter.prototype;

CdrWriter.prototype.string = function string(this: CdrWriter, value: string, writeLength = true): CdrWriter {
  // ASCII has as many bytes as code units: the original is right, and faster (no allocation).
  if (ascii.test(value)) return codeUnitString.call(this, value, writeLength);
  const bytes = encoder.encode(value);
  if (writeLength) this.uint32(bytes.length + 1); // with the NUL terminator
  this.uint8Array(bytes, false);
  this.uint8(0);
  return this;
};
