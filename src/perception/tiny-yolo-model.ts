import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { onnx as OnnxNs } from 'onnx-proto';

/**
 * Builds tiny YOLO-shaped ONNX models for tests (no model files in the repository, nothing
 * downloaded). The output is a constant the test chooses, plus 0 × mean(input) so the graph uses
 * its input as a real detector does (onnxruntime rejects nothing, but an unused input would let a
 * decoder that never feeds it pass).
 */
const { onnx } = createRequire(import.meta.url)('onnx-proto') as { onnx: typeof OnnxNs };

const FLOAT = 1; // TensorProto.DataType.FLOAT

export interface TinyYoloSpec {
  /** Model input shape; a real YOLO takes [1, 3, S, S]. */
  inputShape: number[];
  /** The constant output's shape: [1, 4+nc, N] (v8) or [1, N, 5+nc] (v5). */
  outputShape: number[];
  /** Output values, row-major, product(outputShape) of them. */
  values: number[];
}

export function writeTinyYoloModel(path: string, spec: TinyYoloSpec): void {
  const count = spec.outputShape.reduce((a, b) => a * b, 1);
  if (spec.values.length !== count) {
    throw new Error(`tiny model: ${spec.values.length} values for output ${spec.outputShape.join('×')}`);
  }
  const valueInfo = (name: string, dims: number[]): OnnxNs.IValueInfoProto => ({
    name,
    type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const tensorAttr = (name: string, dims: number[], floatData: number[]): OnnxNs.IAttributeProto => ({
    name,
    type: onnx.AttributeProto.AttributeType.TENSOR,
    t: { dims, dataType: FLOAT, floatData },
  });
  const reduceAxes = spec.inputShape.map((_, i) => i).slice(1);
  const graph: OnnxNs.IGraphProto = {
    name: 'tiny_yolo',
    input: [valueInfo('images', spec.inputShape)],
    output: [valueInfo('output0', spec.outputShape)],
    node: [
      {
        opType: 'Constant',
        output: ['detections'],
        attribute: [tensorAttr('value', spec.outputShape, spec.values)],
      },
      { opType: 'Constant', output: ['zero'], attribute: [tensorAttr('value', [1], [0])] },
      {
        opType: 'ReduceMean',
        input: ['images'],
        output: ['mean'],
        attribute: [
          { name: 'axes', type: onnx.AttributeProto.AttributeType.INTS, ints: reduceAxes },
          { name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 },
        ],
      },
      { opType: 'Mul', input: ['mean', 'zero'], output: ['nothing'] },
      { opType: 'Add', input: ['detections', 'nothing'], output: ['output0'] },
    ],
  };
  const model = onnx.ModelProto.create({
    irVersion: 7,
    producerName: 'medhjalparen-tests',
    opsetImport: [{ domain: '', version: 13 }],
    graph: onnx.GraphProto.create(graph),
  });
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
}
