export { RecordingError } from './errors.js';
export { FileSink, recordingTargetProblem } from './file-sink.js';
export { exclusionOf, redact, REDACTED_FIELDS, type Exclusion } from './privacy.js';
export {
  startRecorder,
  DEFAULT_LATCHED_TOPICS,
  METADATA_END,
  METADATA_START,
  type Recorder,
  type RecorderOptions,
  type RecordingStats,
} from './recorder.js';
export { openRecording, type Recording, type RecordedChannel, type RecordedMessage } from './reader.js';
export { replayRecording, YIELD_EVERY_NS, type ReplayOptions, type ReplayReport } from './replay.js';
export { RERUN_NODES } from './rerun.js';
export {
  describeDecision,
  decisionsOf,
  firstDivergence,
  type Decision,
  type Divergence,
} from './decisions.js';
export { zstdChunkCompressor, decompressHandlers, type CompressChunk } from './compression.js';
