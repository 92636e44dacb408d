/**
 * `run --camera`: a real rear camera (a still image, a video file or /dev/videoN) and the detector
 * for it, opened and loaded before the robot starts so a wrong argument is reported first, by name.
 */
import {
  PerceptionError,
  openSource,
  sourceSpecFromArg,
  type DetectorNodeStats,
} from '../src/perception/index.js';
import type { RearCameraOptions, RunningRobot } from '../src/robot/index.js';
import { loadDetector, type DetectorChoice } from './detector-option.js';

export interface RearCameraArgs {
  /** The --camera argument. */
  input: string;
  detector: DetectorChoice;
}

export interface OpenRearCamera {
  /** What the composition root needs to start the robot's detector node on this camera. */
  rearCamera: RearCameraOptions;
  /** For the operator: what runs on what. */
  describe: string;
  /** Releases the detector (after the run, when the robot has let go of the source). */
  close(): Promise<void>;
}

/** Opens the camera and loads the model; a string is the error to print, naming the argument. */
export async function openRearCamera(args: RearCameraArgs): Promise<OpenRearCamera | string> {
  let source;
  try {
    const spec = sourceSpecFromArg(args.input);
    // A video file stands in for the camera: frames at its own rate, like a camera's, so the
    // robot's real-time loop sees a camera's timing and the clip lasts as long as it plays.
    source = openSource(spec.kind === 'video' ? { ...spec, realtime: true } : spec);
  } catch (err) {
    if (err instanceof PerceptionError) return `--camera: ${err.code}: ${err.message}`;
    throw err;
  }
  try {
    const detector = await loadDetector(args.detector);
    return {
      rearCamera: { source, detector },
      describe: `${source.name} through ${detector.name}`,
      close: async () => {
        await source.close();
        await detector.release();
      },
    };
  } catch (err) {
    await source.close();
    if (err instanceof PerceptionError) return `--model: ${err.code}: ${err.message}`;
    throw err;
  }
}

/** The detector's counts at the end of a run: counts only, nothing about who was seen. */
export function rearCameraSummary(robot: RunningRobot | undefined): string {
  const s: DetectorNodeStats | undefined = robot?.rearCamera?.stats();
  if (!s) return 'rear camera: the robot did not start';
  return `rear camera: ${s.frames} frame(s), ${s.detections} detection(s), ${s.droppedFrames} dropped frame(s)`;
}
