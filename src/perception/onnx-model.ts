/**
 * What every ONNX detector checks of its model before it runs it: one float32 image input of
 * the expected dimensions (a symbolic batch dimension is fine: we always send 1), reported as
 * MODEL_SHAPE with expected vs found.
 */
import type ort from 'onnxruntime-node';
import { PerceptionError } from './errors.js';

export type Shape = readonly (number | string)[];

export function shapeOf(meta: ort.InferenceSession.ValueMetadata): Shape | undefined {
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
  session: ort.InferenceSession,
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
