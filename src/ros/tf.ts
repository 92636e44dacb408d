import type { Pose2D } from './geometry.js';
import { composePose, quaternionToYaw } from './geometry.js';
import type { TFMessage, TransformStamped } from './messages.js';
import type { RosNode } from './node-api.js';
import { timeMsgToNs } from './time.js';

/**
 * A planar transform buffer fed by /tf and /tf_static: enough for map → odom → base_link.
 * It keeps the latest transform per child frame (no interpolation: planar robots at 10+ Hz
 * need none for escorting), and answers lookups by walking parents.
 */
export class TransformBuffer {
  readonly #latest = new Map<string, { parent: string; pose: Pose2D; stampNs: bigint }>();

  /** Subscribes to /tf and /tf_static on the node. */
  static listen(node: RosNode): TransformBuffer {
    const buffer = new TransformBuffer();
    const take = (msg: TFMessage) => buffer.setTransforms(msg.transforms);
    node.createSubscription('tf2_msgs/msg/TFMessage', '/tf', take);
    node.createSubscription(
      'tf2_msgs/msg/TFMessage',
      '/tf_static',
      { qos: { durability: 'transient_local' } },
      take,
    );
    return buffer;
  }

  setTransforms(transforms: TransformStamped[]): void {
    for (const t of transforms) {
      this.#latest.set(t.child_frame_id, {
        parent: t.header.frame_id,
        pose: {
          x: t.transform.translation.x,
          y: t.transform.translation.y,
          yaw: quaternionToYaw(t.transform.rotation),
        },
        stampNs: timeMsgToNs(t.header.stamp),
      });
    }
  }

  /**
   * Pose of `child` in `target` (e.g. base_link in map), or undefined while the chain is
   * incomplete; also returns the oldest stamp on the chain so callers can refuse stale poses.
   */
  lookup(target: string, child: string): { pose: Pose2D; stampNs: bigint } | undefined {
    let pose: Pose2D = { x: 0, y: 0, yaw: 0 };
    let frame = child;
    let stampNs: bigint | undefined;
    for (let hops = 0; hops < 16; hops++) {
      if (frame === target) return { pose, stampNs: stampNs ?? 0n };
      const link = this.#latest.get(frame);
      if (!link) return undefined;
      pose = composePose(link.pose, pose);
      stampNs = stampNs === undefined || link.stampNs < stampNs ? link.stampNs : stampNs;
      frame = link.parent;
    }
    return undefined;
  }
}
