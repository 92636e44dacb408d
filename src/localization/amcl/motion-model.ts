/**
 * The odometry motion model for a differential drive (Probabilistic Robotics §5.4,
 * sample_motion_model_odometry; Nav2's `nav2_amcl::DifferentialMotionModel`): the odometry's
 * change between two filter updates is split into a turn, a straight move and a second turn, and
 * each particle moves by them with noise that grows with how far and how much the robot turned:
 *
 * - alpha1: rotation noise from rotation, alpha2: rotation noise from translation,
 * - alpha3: translation noise from translation, alpha4: translation noise from rotation.
 *
 * Driving backwards is a small turn plus a negative move, not a half turn, so reversing adds no
 * spurious rotation noise (the rotations' noise is measured to the nearer of 0 and π).
 */
import { normalizeAngle, type Pose2D } from '../../ros/index.js';
import type { Particles } from './particles.js';
import type { FilterRandom } from './random.js';

export interface MotionNoise {
  alpha1: number;
  alpha2: number;
  alpha3: number;
  alpha4: number;
}

/** Moves every particle by the odometry change from `from` to `to` (both in the odom frame). */
export function sampleOdometryMotion(
  particles: Particles,
  from: Pose2D,
  to: Pose2D,
  noise: MotionNoise,
  rng: FilterRandom,
): void {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const trans = Math.hypot(dx, dy);
  // Too short a move has no direction of its own: all of the turn is then the second rotation.
  const rot1 = trans < 0.01 ? 0 : normalizeAngle(Math.atan2(dy, dx) - from.yaw);
  const rot2 = normalizeAngle(to.yaw - from.yaw - rot1);
  const rot1Noise = Math.min(Math.abs(rot1), Math.abs(normalizeAngle(rot1 - Math.PI)));
  const rot2Noise = Math.min(Math.abs(rot2), Math.abs(normalizeAngle(rot2 - Math.PI)));
  const { alpha1, alpha2, alpha3, alpha4 } = noise;
  const sdRot1 = Math.sqrt(alpha1 * rot1Noise * rot1Noise + alpha2 * trans * trans);
  const sdTrans = Math.sqrt(
    alpha3 * trans * trans + alpha4 * rot1Noise * rot1Noise + alpha4 * rot2Noise * rot2Noise,
  );
  const sdRot2 = Math.sqrt(alpha1 * rot2Noise * rot2Noise + alpha2 * trans * trans);
  const { x, y, yaw } = particles;
  for (let i = 0; i < particles.count; i++) {
    const r1 = rot1 - rng.gaussian(sdRot1);
    const t = trans - rng.gaussian(sdTrans);
    const r2 = rot2 - rng.gaussian(sdRot2);
    const heading = yaw[i]! + r1;
    x[i] = x[i]! + t * Math.cos(heading);
    y[i] = y[i]! + t * Math.sin(heading);
    yaw[i] = normalizeAngle(heading + r2);
  }
}
