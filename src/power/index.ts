/** The robot's battery: its resting-voltage curve, the load model, the charge estimate and trip costs. */
export { PACK_3S_CURVE, ocvFromSoc, packOcvCurve, socFromOcv, type OcvCurve } from './ocv.js';
export {
  AT_REST,
  chargerCurrentA,
  loadW,
  motionDrawW,
  packOperatingPoint,
  type Motion,
  type OperatingPoint,
} from './pack-model.js';
export { LoadTracker } from './load-tracker.js';
export {
  ChargeEstimator,
  DEFAULT_CHARGE_ESTIMATOR_PARAMS,
  PowerSupplyStatus,
  type BatteryReading,
  type ChargeEstimate,
  type ChargeEstimatorParams,
  type ChargeStatus,
} from './charge-estimator.js';
export { chargeForTrip } from './trip.js';
