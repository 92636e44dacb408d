/**
 * Driving from Foxglove (the Teleop panel, or any client publishing a Twist): a client may
 * advertise a Twist on /cmd_vel or /cmd_vel_teleop and publish on it, and every message goes to
 * the same teleop path as the console's stick: the deadman (a command drives for 300 ms unless
 * renewed), then /cmd_vel_teleop, then the safety gate (limits, stop zone, e-stop). Nothing a
 * client sends is ever published on the graph as it is, and nothing reaches the base directly.
 *
 * Only an operator's pass may drive, and only while its console session holds teleop (taken in
 * the console, where the mission is paused first): the console's deadman checks the holder.
 */
import type { Twist } from '../ros/index.js';
import type { SchemaRegistry } from '../ros/schemas/index.js';
import type { ClientAdvertisement } from './client-frames.js';
import type { PassHolder } from './passes.js';
import { TELEOP_TOPICS, TWIST_SCHEMA_NAMES } from './topics.js';

const TWIST = 'geometry_msgs/msg/Twist';
/** Client channels one client may advertise (a Teleop panel needs one). */
export const MAX_ADVERTISED = 8;

/** The console's TeleopDeadman, as the bridge uses it: a command only from the holder's key. */
export interface TeleopDriver {
  /** False (and nothing moves) unless `key` holds teleop. */
  command(key: string, linear: number, angular: number): boolean;
  /** A zero now, when `key` holds teleop. */
  stop(key?: string): void;
}

/** What the teleop side needs to know of a client. */
export interface PublishingClient {
  /** The pass's holder, checked again now (undefined: no pass, or it has ended). */
  holder(): PassHolder | undefined;
  /** The client came with a pass in its URL (valid then or not). */
  readonly presentedPass: boolean;
  /** The client's advertised channels by its own id, and why each was refused, if it was. */
  readonly advertised: Map<number, { channel: ClientAdvertisement; refused?: string }>;
  /** The key its last accepted command drove with: stopping needs it even after the pass ended. */
  drivingKey: string | undefined;
}

export type Said = { level: 'error' | 'warning'; key: string; message: string };

export class ClientTeleop {
  readonly #driver: TeleopDriver | undefined;
  readonly #registry: SchemaRegistry;

  constructor(driver: TeleopDriver | undefined, registry: SchemaRegistry) {
    this.#driver = driver;
    this.#registry = registry;
  }

  /** Whether clients may publish at all (the server says so in its capabilities). */
  get offered(): boolean {
    return this.#driver !== undefined;
  }

  /** Takes note of each advertised channel, refused or not, and says why one is refused. */
  advertise(client: PublishingClient, channels: ClientAdvertisement[]): Said[] {
    const said: Said[] = [];
    for (const channel of channels) {
      if (client.advertised.has(channel.id)) {
        said.push({
          level: 'error',
          key: 'advertise',
          message: `client channel ${channel.id} is advertised already`,
        });
        continue;
      }
      if (client.advertised.size >= MAX_ADVERTISED) {
        said.push({
          level: 'error',
          key: 'advertise',
          message: `client channel ${channel.id} (${channel.topic}) refused: at most ${MAX_ADVERTISED} client channels per client`,
        });
        continue;
      }
      const refused = this.#refusal(client, channel);
      client.advertised.set(channel.id, refused ? { channel, refused } : { channel });
      if (refused) said.push({ level: 'error', key: 'advertise', message: refused });
    }
    return said;
  }

  /** Letting go of a channel stops the robot at once (the stick released). */
  unadvertise(client: PublishingClient, channelIds: number[]): Said[] {
    const said: Said[] = [];
    for (const id of channelIds) {
      if (!client.advertised.delete(id)) {
        said.push({
          level: 'warning',
          key: 'unadvertise',
          message: `client channel ${id} was not advertised`,
        });
      }
    }
    this.#stop(client);
    return said;
  }

  /** One message on a client channel: decoded as a Twist and handed to the deadman, or refused. */
  publish(client: PublishingClient, channelId: number, data: Uint8Array): Said | undefined {
    const entry = client.advertised.get(channelId);
    if (!entry) {
      return {
        level: 'error',
        key: 'publish',
        message: `message on client channel ${channelId}, which this client has not advertised; dropped`,
      };
    }
    const { channel } = entry;
    const refused = entry.refused ?? this.#refusal(client, channel);
    if (refused) {
      this.#stop(client); // a pass that ended mid-drive stops the robot now, not at the deadman
      return { level: 'error', key: 'publish', message: `${refused}; message dropped` };
    }
    let twist: Twist;
    try {
      twist = this.#registry.decode(TWIST, data) as Twist;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      return {
        level: 'error',
        key: 'decode',
        message: `${channel.topic}: the message does not decode as ${TWIST} (${why}); dropped`,
      };
    }
    const linear = twist.linear.x;
    const angular = twist.angular.z;
    if (!Number.isFinite(linear) || !Number.isFinite(angular)) {
      return {
        level: 'error',
        key: 'decode',
        message: `${channel.topic}: linear.x and angular.z must be finite numbers; dropped`,
      };
    }
    // The refusal check above found a holder that may drive; the deadman checks it holds teleop.
    const key = client.holder()!.key;
    if (!this.#driver!.command(key, linear, angular)) {
      return {
        level: 'error',
        key: 'holder',
        message: 'you do not hold teleop: take it in the console (Take teleop), then drive here',
      };
    }
    client.drivingKey = key;
    return undefined;
  }

  /** The client left: a zero now, if it was driving. */
  closed(client: PublishingClient): void {
    this.#stop(client);
  }

  /** Why this client may not drive on `channel`, or undefined when it may. */
  #refusal(client: PublishingClient, channel: ClientAdvertisement): string | undefined {
    const where = `client channel ${channel.id} (${channel.topic})`;
    if (!this.#driver) return `${where}: this server takes no messages from clients`;
    if (!TELEOP_TOPICS.includes(channel.topic)) {
      return `${where}: only a Twist on ${TELEOP_TOPICS.join(' or ')} is taken (teleop)`;
    }
    if (!TWIST_SCHEMA_NAMES.includes(channel.schemaName) || channel.encoding !== 'cdr') {
      return `${where}: expected ${TWIST} in cdr, found ${channel.schemaName} in ${channel.encoding}`;
    }
    const holder = client.holder();
    if (!holder && client.presentedPass) {
      return `${where}: the Foxglove pass is not valid (ended at logout or expiry, or replaced by a newer one): ask the console for a new one`;
    }
    if (!holder)
      return `${where}: driving needs an operator's Foxglove pass from the console, in the URL as ?pass=…`;
    if (!holder.mayDrive)
      return `${where}: ${holder.name} is a ${holder.role}; driving needs the operator role`;
    return undefined;
  }

  #stop(client: PublishingClient): void {
    if (client.drivingKey !== undefined) this.#driver?.stop(client.drivingKey);
    client.drivingKey = undefined;
  }
}
