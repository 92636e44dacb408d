export {
  EmulatedBoard,
  type EmulatedBoardOptions,
  type Wheels,
  type BoardStats,
  type SerialByteListener,
} from './board.js';
export { EmulatedSerialPort, DisconnectedError, type SerialLine, type ModemLines } from './serial-port.js';
export { runRealtime, type RealtimeOptions, type RealtimeRun, type Steppable } from './realtime.js';
export {
  PtyBridge,
  type PtyBridgeOptions,
  type PtyBridgeStats,
  type PtyDevice,
  type PtyHostEvent,
} from './pty-bridge.js';
export {
  EmulatedRplidar,
  RPLIDAR_MODELS,
  type RangeSource,
  type RplidarModelName,
  type RplidarModelSpec,
  type EmulatedMotorControl,
  type EmulatedRplidarOptions,
  type EmulatedRplidarState,
  type EmulatedRplidarStats,
  type OtherProtocol,
  type LidarByteListener,
} from './rplidar-device.js';
export { parseIntelHex, ATMEGA328P_FLASH_BYTES, type HexOptions } from './intel-hex.js';
export { DEFAULT_PLANT_PARAMS, type PlantParams } from './plant.js';
export type { Timer1Model } from './mcu.js';
export { EmulatorError, type EmulatorErrorCode } from './errors.js';
