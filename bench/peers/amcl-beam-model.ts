/**
 * The peer for the localiser's benchmark: Nav2's 'beam' sensor model (Probabilistic Robotics
 * §6.3, `nav2_amcl::BeamModel`), which ray-casts every beam of every particle through the map
 * and compares the expected range with the measured one (z_hit Gaussian, z_short exponential,
 * z_max, z_rand), accumulating p³ per beam as Nav2 does. It runs here on the simulator's own ray
 * caster; the robot's filter uses the likelihood field instead (one lookup per beam).
 */
import type { Beams, Particles } from '../../src/localization/index.js';
import type { MapRayCaster } from '../../sim/lidar.js';

export interface BeamModelParams {
  z_hit: number;
  z_short: number;
  z_max: number;
  z_rand: number;
  sigma_hit: number;
  lambda_short: number;
}

/** Nav2's defaults for the beam model. */
export const NAV2_BEAM_DEFAULTS: BeamModelParams = {
  z_hit: 0.5,
  z_short: 0.05,
  z_max: 0.05,
  z_rand: 0.5,
  sigma_hit: 0.2,
  lambda_short: 0.1,
};

/** Weighs `particles` by the beams with the beam model; returns the sum of weights. */
export function weighBeamModel(
  particles: Particles,
  beams: Beams,
  caster: MapRayCaster,
  p: BeamModelParams,
): number {
  const rangeMax = beams.rangeMax;
  let total = 0;
  for (let i = 0; i < particles.count; i++) {
    const c = Math.cos(particles.yaw[i]!);
    const s = Math.sin(particles.yaw[i]!);
    let weight = 1;
    for (let b = 0; b < beams.count; b++) {
      const lx = beams.lx[b]!;
      const ly = beams.ly[b]!;
      const z = Math.hypot(lx, ly);
      const dx = (c * lx - s * ly) / z;
      const dy = (s * lx + c * ly) / z;
      const hit = caster.cast(particles.x[i]!, particles.y[i]!, dx, dy, rangeMax);
      const expected = Number.isFinite(hit) ? hit : rangeMax;
      const err = z - expected;
      let pz = p.z_hit * Math.exp(-(err * err) / (2 * p.sigma_hit * p.sigma_hit));
      if (z < expected) pz += p.z_short * p.lambda_short * Math.exp(-p.lambda_short * z);
      if (z >= rangeMax) pz += p.z_max;
      if (z < rangeMax) pz += p.z_rand / rangeMax;
      weight += pz * pz * pz;
    }
    particles.w[i] = particles.w[i]! * weight;
    total += particles.w[i]!;
  }
  return total;
}
