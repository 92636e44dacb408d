export {
  EmulatedBoard,
  type EmulatedBoardOptions,
  type Wheels,
  type BoardStats,
  type SerialByteListener,
} from './board.js';
export { EmulatedSerialPort, DisconnectedError } from './serial-port.js';
export { runRealtime, type RealtimeOptions, type RealtimeRun } from './realtime.js';
export { PtyBridge, type PtyBridgeOptions } from './pty-bridge.js';
export { parseIntelHex, ATMEGA328P_FLASH_BYTES, type HexOptions } from './intel-hex.js';
export { DEFAULT_PLANT_PARAMS, type PlantParams } from './plant.js';
export type { Timer1Model } from './mcu.js';
export { EmulatorError, type EmulatorErrorCode } from './errors.js';
