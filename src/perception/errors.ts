/**
 * Every way perception input can be wrong. Codes are never reused for another meaning: tools,
 * diagnostics and tests match on them.
 */
export type PerceptionErrorCode =
  /** The image file does not exist or cannot be read. */
  | 'IMAGE_MISSING'
  /**
   * An input over its limit in docs/limits.md: an image or model file larger than its byte limit,
   * or an image, video frame or model input whose declared width × height is over imagePixels.
   * Checked before anything is allocated for it.
   */
  | 'TOO_LARGE'
  /** A directory, device, FIFO or socket given where an image, video or model file is read. */
  | 'NOT_A_FILE'
  /** The bytes are neither PNG nor JPEG (no known signature). */
  | 'IMAGE_FORMAT'
  /**
   * A PNG or JPEG that ends before its end marker (IEND / EOI), or whose image data holds fewer
   * bytes than its header declares: a cut-off file or stream. The message names the byte offset.
   */
  | 'IMAGE_TRUNCATED'
  /** A PNG or JPEG whose contents the decoder rejects (bad header, marker, checksum, data). */
  | 'IMAGE_CORRUPT'
  /** An RgbImage whose data length does not match width × height × 3, or a zero size. */
  | 'IMAGE_SHAPE'
  /** The model file does not exist or cannot be read. */
  | 'MODEL_MISSING'
  /** onnxruntime could not load the model (not an ONNX file, unsupported operators). */
  | 'MODEL_LOAD'
  /** The model's inputs or outputs do not have the shapes the decoder expects. */
  | 'MODEL_SHAPE'
  /** A detector configuration value outside its allowed range. */
  | 'CONFIG_INVALID'
  /** A video file or camera device (/dev/videoN) that does not exist or cannot be opened. */
  | 'CAMERA_MISSING'
  /** The ffmpeg program, which decodes video files and V4L2 cameras, is not installed. */
  | 'FFMPEG_MISSING'
  /** ffmpeg could not decode the video stream (not a video, unsupported codec, device error). */
  | 'STREAM_DECODE'
  /** A sensor_msgs/msg/Image whose pixel encoding is not one we convert (rgb8, bgr8, mono8). */
  | 'IMAGE_ENCODING';

/**
 * The perception module's error family. `where` names the input: an image file name, a model path
 * or a config field; the message says what was expected against what was found.
 */
export class PerceptionError extends Error {
  constructor(
    readonly code: PerceptionErrorCode,
    readonly where: string,
    what: string,
  ) {
    super(`${where}: ${what}`);
    this.name = 'PerceptionError';
  }
}
