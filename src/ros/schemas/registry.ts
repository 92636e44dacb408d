/**
 * The schema registry: every interface under `interfaces/` with its full `ros2msg` definition (as
 * an MCAP Schema record or a Foxglove channel carries it), and CDR encode and decode of plain
 * objects shaped like src/ros/messages.ts. Encoding first checks the object against the
 * definition, so a wrong field fails loudly with its path instead of being written as a zero.
 */
import { fileURLToPath } from 'node:url';
import { parse } from '@foxglove/rosmsg';
import { MessageReader, MessageWriter } from '@foxglove/rosmsg2-serialization';
import './cdr-utf8.js';
import { locateBadBytes } from './cdr-walk.js';
import { loadInterfaces, type Definition, type InterfaceSet } from './definitions.js';
import { SchemaError } from './errors.js';
import { fullDefinitionText, messageTypeName } from './full-text.js';
import { compileCheck, describeMisfit, type Check } from './validate.js';

/** A type's full definition, as an MCAP Schema record (encoding 'ros2msg') holds it. */
export interface MessageSchema {
  /** 'pkg/msg/Type' */
  name: string;
  encoding: 'ros2msg';
  /** The type's definition text, then each dependency after a line of 80 '=' and 'MSG: pkg/Type'. */
  data: string;
}

type Parsed = ReturnType<typeof parse>;

/** What encode and decode need for one type, built on first use. */
interface Codec {
  check: Check;
  writer: MessageWriter;
  reader: MessageReader;
}

/** The repository root, which holds `interfaces/` (this file is src/ros/schemas/registry.ts). */
const DEFAULT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export class SchemaRegistry {
  readonly #interfaces: InterfaceSet;
  readonly #schemas = new Map<string, MessageSchema>();
  readonly #parsed = new Map<string, Parsed>();
  readonly #codecs = new Map<string, Codec>();

  private constructor(interfaces: InterfaceSet) {
    this.#interfaces = interfaces;
    const lookup = (name: string) => {
      const type = messageTypeName(name);
      return type === undefined ? undefined : interfaces.definitions.get(type);
    };
    for (const def of interfaces.definitions.values()) {
      const data = fullDefinitionText(def.type, def, lookup);
      this.#schemas.set(def.type, { name: def.type, encoding: 'ros2msg', data });
      this.#parsed.set(def.type, parseBack(def, data));
    }
  }

  /**
   * Reads every definition under `<root>/interfaces` (default: this repository's). Throws
   * SchemaError BAD_DEFINITION naming file:line for a definition that does not parse or refers
   * to a type no file defines.
   */
  static load(root: string = DEFAULT_ROOT): SchemaRegistry {
    return new SchemaRegistry(loadInterfaces(root));
  }

  has(type: string): boolean {
    return this.#schemas.has(type);
  }

  /** Every type name, sorted: messages ('pkg/msg/T') and service and action parts ('pkg/srv/T_Request', …). */
  types(): string[] {
    return [...this.#schemas.keys()].sort();
  }

  schema(type: string): MessageSchema {
    const schema = this.#schemas.get(type);
    if (!schema) throw unknownType(type);
    return schema;
  }

  /** The checked definitions, field types resolved, for generators and tools. */
  interfaces(): InterfaceSet {
    return this.#interfaces;
  }

  /** CDR (little-endian, with its encapsulation header) of `msg`, after checking it against the type. */
  encode(type: string, msg: unknown): Uint8Array {
    const codec = this.#codec(type);
    const misfit = codec.check(msg);
    if (misfit) throw new SchemaError('MISMATCH', `${type}: ${describeMisfit(misfit)}`);
    return codec.writer.writeMessage(msg);
  }

  /**
   * The message in CDR bytes. Numeric arrays come back as typed arrays, which may be views of
   * `bytes` (copy them to keep them past a change of the buffer). Bytes that end early or do not
   * decode throw SchemaError TRUNCATED naming the field and byte offset.
   */
  decode(type: string, bytes: Uint8Array): unknown {
    const codec = this.#codec(type);
    const parsed = this.#parsed.get(type)!;
    const header = bytes.byteLength < 4 || bytes[0] !== 0 || bytes[1]! > 1;
    let msg: unknown;
    let failure: unknown;
    if (!header) {
      try {
        msg = codec.reader.readMessage(bytes);
      } catch (err) {
        failure = err;
      }
    }
    if (header || failure !== undefined || codec.reader.lastReadByteLength() > bytes.byteLength) {
      const where =
        locateBadBytes(parsed, bytes) ??
        `the ${bytes.byteLength} bytes do not decode (${String((failure as Error | undefined)?.message)})`;
      throw new SchemaError('TRUNCATED', `${type}: ${where}`, { cause: failure });
    }
    return msg;
  }

  #codec(type: string): Codec {
    let codec = this.#codecs.get(type);
    if (!codec) {
      const parsed = this.#parsed.get(type);
      if (!parsed) throw unknownType(type);
      codec = {
        check: compileCheck(parsed),
        writer: new MessageWriter(parsed),
        reader: new MessageReader(parsed),
      };
      this.#codecs.set(type, codec);
    }
    return codec;
  }
}

/** The full text must read back with the parser Foxglove and MCAP tools use, or it is no schema. */
function parseBack(def: Definition, data: string): Parsed {
  try {
    return parse(data, { ros2: true });
  } catch (err) {
    throw new SchemaError(
      'BAD_DEFINITION',
      `${def.file}: the full definition of ${def.type} does not parse back: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function unknownType(type: string): SchemaError {
  return new SchemaError('UNKNOWN_TYPE', `unknown message type '${type}' (no such file under interfaces/)`);
}

let cached: SchemaRegistry | undefined;

/** This repository's registry, loaded on first use. */
export function schemaRegistry(): SchemaRegistry {
  cached ??= SchemaRegistry.load();
  return cached;
}
