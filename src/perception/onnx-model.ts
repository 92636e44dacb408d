/**
 * How every ONNX detector gets its model: the file read as any input is (a regular file within
 * LIMITS.modelFileBytes, else NOT_A_FILE / TOO_LARGE / MODEL_MISSING naming it), the session
 * created from those bytes with onnxruntime's telemetry off (ort.ts), and the model checked
 * before it runs: one float32 image input of the expected dimensions (a symbolic batch
 * dimension is fine: we always send 1), reported as MODEL_SHAPE with expected vs found.
 */
import { PerceptionError } from './errors.js';
import { readPerceptionFile } from './image.js';
import ort, { turnOffOrtTelemetry, type InferenceSession } from './ort.js';

export interface SessionOptions {
  /** onnxruntime intra-op threads. */
  threads: number;
}

/**
 * Loads the model at `modelPath` into a CPU inference session. The file is read here, once, from
 * the open file (a FIFO, a device or a directory is refused at once instead of handed to
 * onnxruntime); onnxruntime parses the bytes. Throws PerceptionError MODEL_MISSING, NOT_A_FILE,
 * TOO_LARGE or MODEL_LOAD, each naming the file.
 */
export async function createSession(modelPath: string, options: SessionOptions): Promise<InferenceSession> {
  const bytes = readPerceptionFile(modelPath, 'modelFileBytes', 'MODEL_MISSING');
  turnOffOrtTelemetry(); // already set when ort.ts loaded; kept next to the call it must precede
  try {
    return await ort.InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: options.threads,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
    });
  } catch (err) {
    throw new PerceptionError(
      'MODEL_LOAD',
      modelPath,
      `onnxruntime could not load the model: ${(err as Error).message}`,
    );
  }
}

export type Shape = readonly (number | string)[];

export function shapeOf(meta: InferenceSession.ValueMetadata): Shape | undefined {
  return meta.isTensor ? meta.shape : undefined;
}

export function formatShape(shape: Shape | undefined): string {
  return shape ? `[${shape.join(',')}]` : 'a non-tensor value';
}

/**
 * The name of the model's single input, after checking it is float32 with `dims`; `expected`
 * describes it for the error (e.g. 'expected input [1,128,128,3] NHWC float32').
 */
export function checkImageInput(
  session: InferenceSession,
  modelPath: string,
  dims: readonly number[],
  expected: string,
): string {
  if (session.inputNames.length !== 1) {
    throw new PerceptionError(
      'MODEL_SHAPE',
      modelPath,
      `${expected}, found ${session.inputNames.length} inputs`,
    );
  }
  const meta = session.inputMetadata[0]!;
  const shape = shapeOf(meta);
  const dimsOk =
    shape !== undefined &&
    shape.length === dims.length &&
    dims.every((d, i) => shape[i] === d || (i === 0 && typeof shape[0] === 'string'));
  if (!dimsOk || !meta.isTensor || meta.type !== 'float32') {
    throw new PerceptionError(
      'MODEL_SHAPE',
      modelPath,
      `${expected}, found ${formatShape(shape)}${meta.isTensor ? ` ${meta.type}` : ''}`,
    );
  }
  return session.inputNames[0]!;
}
