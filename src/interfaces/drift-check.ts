/**
 * The typecheck's guard against drift between the hand-written message shapes
 * (src/ros/messages.ts, augmented by medhjalparen-msgs.ts) and the definition files under
 * interfaces/, through the shapes generated from those files (generated/ros-types.ts). Nothing here
 * runs; `tsc` fails on the first line below whose type names a key:
 * - in `*Differ`: the TypeScript shape and its definition file disagree (a field added, removed,
 *   renamed or retyped on one side only);
 * - in `*OnlyIn…`: a type exists on one side only.
 * Fix the side that is wrong; after changing a definition file, regenerate with
 * `node --import tsx scripts/gen-msg-types.ts`.
 */
import type { ActionTypes, MessageTypes, ServiceTypes } from '../ros/messages.js';
import type {
  GeneratedActionTypes,
  GeneratedMessageTypes,
  GeneratedServiceTypes,
  GENERATED_MESSAGE_TYPE_NAMES,
  MedhjalparenMsgsGuideStatus,
  MedhjalparenMsgsLocalizationStatus,
} from './generated/ros-types.js';
import type { GuideState } from './medhjalparen-msgs.js';
import type { LocalizationState } from './index.js';

/** True when A and B are the same type (not merely assignable one way). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** The keys of both maps whose types are not Equal. */
type Differing<G, M> = { [K in keyof G & keyof M]: Equal<G[K], M[K]> extends true ? never : K }[keyof G &
  keyof M];
/** An object type that needs a property for each key in K: `{}` fits it only when K is never. */
type NoneOf<K extends PropertyKey> = { [P in K]: P };

export const messagesDiffer: NoneOf<Differing<GeneratedMessageTypes, MessageTypes>> = {};
export const messagesOnlyInDefinitions: NoneOf<Exclude<keyof GeneratedMessageTypes, keyof MessageTypes>> = {};
export const messagesOnlyInTypeScript: NoneOf<Exclude<keyof MessageTypes, keyof GeneratedMessageTypes>> = {};

export const servicesDiffer: NoneOf<Differing<GeneratedServiceTypes, ServiceTypes>> = {};
export const servicesOnlyInDefinitions: NoneOf<Exclude<keyof GeneratedServiceTypes, keyof ServiceTypes>> = {};
export const servicesOnlyInTypeScript: NoneOf<Exclude<keyof ServiceTypes, keyof GeneratedServiceTypes>> = {};

export const actionsDiffer: NoneOf<Differing<GeneratedActionTypes, ActionTypes>> = {};
export const actionsOnlyInDefinitions: NoneOf<Exclude<keyof GeneratedActionTypes, keyof ActionTypes>> = {};
export const actionsOnlyInTypeScript: NoneOf<Exclude<keyof ActionTypes, keyof GeneratedActionTypes>> = {};

/** The runtime list of message types the tests go through is the generated map's keys. */
export const typeNamesListEveryMessage: Equal<
  (typeof GENERATED_MESSAGE_TYPE_NAMES)[number],
  keyof GeneratedMessageTypes
> = true;

/** The state lists in TypeScript are the string constants of their .msg, no more and no fewer. */
type ValueOf<T> = T[keyof T];
export const guideStatesMatchMsg: Equal<GuideState, ValueOf<typeof MedhjalparenMsgsGuideStatus>> = true;
export const localizationStatesMatchMsg: Equal<
  LocalizationState,
  ValueOf<typeof MedhjalparenMsgsLocalizationStatus>
> = true;
