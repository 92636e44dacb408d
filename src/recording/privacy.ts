/**
 * What a recording may hold. A recording is a file on disk, so the robot's privacy rules decide
 * what goes into it, before anything is encoded:
 *
 * 1. Camera images are left out unless an operator explicitly asks for them (`includeImages`,
 *    `--record-images`): every topic of type sensor_msgs/msg/Image or CompressedImage, and every
 *    topic named as an image stream (a name segment starting with `image`, e.g.
 *    `/camera/rear/image_raw`, `/camera/image/compressed`), whatever its type says.
 * 2. What a customer typed or said is never recorded, whatever the operator asks:
 *    - medhjalparen_msgs/msg/GuideRequest: `text` becomes '' (request_id, language, plain and mode
 *      stay: the replay rebuilds the request from the recorded GuideStatus's destination).
 *    - medhjalparen_msgs/msg/Utterance: `text` becomes ''. The robot's sentences are built from the
 *      site's own phrases today, but a sentence may quote what it heard (the console keeps the
 *      robot's voice in memory only for that reason); kind, language, plain and choices stay,
 *      which is all a kiosk or a replay needs.
 *    - std_msgs/msg/String topics are left out: free text that nobody vouches holds no
 *      customer's words.
 * Every topic left out is named in the recording's metadata with the reason.
 */
import type { GuideRequest, Utterance } from '../interfaces/index.js';

export type Exclusion = 'image' | 'free_text';

const IMAGE_TYPES: ReadonlySet<string> = new Set([
  'sensor_msgs/msg/Image',
  'sensor_msgs/msg/CompressedImage',
  'theora_image_transport/msg/Packet',
  'ffmpeg_image_transport_msgs/msg/FFMPEGPacket',
]);
const FREE_TEXT_TYPES: ReadonlySet<string> = new Set(['std_msgs/msg/String']);

/** Why `topic` must not be recorded, or undefined when it may be. */
export function exclusionOf(topic: string, type: string, includeImages: boolean): Exclusion | undefined {
  if (FREE_TEXT_TYPES.has(type)) return 'free_text';
  if (includeImages) return undefined;
  if (IMAGE_TYPES.has(type) || isImageTopic(topic)) return 'image';
  return undefined;
}

/** A name segment starting with 'image' (image_raw, image_rect, image/compressed): a camera stream. */
function isImageTopic(topic: string): boolean {
  return topic.split('/').some((segment) => segment.toLowerCase().startsWith('image'));
}

type Redactor = (msg: unknown) => unknown;

/** The fields of each type that may carry a customer's words, emptied before encoding. */
const REDACTORS: Readonly<Record<string, Redactor>> = {
  'medhjalparen_msgs/msg/GuideRequest': (msg) => ({ ...(msg as GuideRequest), text: '' }),
  'medhjalparen_msgs/msg/Utterance': (msg) => ({ ...(msg as Utterance), text: '' }),
};

/** The types whose messages are redacted, and which field (for the recording's metadata). */
export const REDACTED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'medhjalparen_msgs/msg/GuideRequest': ['text'],
  'medhjalparen_msgs/msg/Utterance': ['text'],
};

/** `msg` with every customer-text field emptied (a copy; the original is the publisher's). */
export function redact(type: string, msg: unknown): unknown {
  const redactor = REDACTORS[type];
  return redactor && msg !== null && typeof msg === 'object' ? redactor(msg) : msg;
}
