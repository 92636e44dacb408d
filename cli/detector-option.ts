/**
 * Which face or person detector a command runs, as `detect` and `run --camera` both take it:
 * `--model front|back` (the BlazeFace variants from the npm package) or a YOLO-style `.onnx` file
 * with its layout, person class and input size.
 */
import { BlazeFaceDetector, YoloDetector, type Detector, type YoloLayout } from '../src/perception/index.js';

export interface DetectorChoice {
  /** 'front' (default), 'back' (BlazeFace variants) or a path to a YOLO .onnx file. */
  model?: string;
  /** Required with a .onnx model. */
  yoloLayout?: YoloLayout;
  personClass?: number;
  inputSize?: number;
  scoreThreshold?: number;
}

/** The detector's flags for node:util parseArgs. */
export const DETECTOR_FLAGS = {
  model: { type: 'string' },
  'yolo-layout': { type: 'string' },
  'person-class': { type: 'string' },
  'input-size': { type: 'string' },
  'score-threshold': { type: 'string' },
} as const;

export const DETECTOR_FLAGS_USAGE =
  '[--model front|back|path.onnx [--yolo-layout v5|v8 --person-class N --input-size N]] [--score-threshold S]';

type FlagValues = { [K in keyof typeof DETECTOR_FLAGS]?: string | undefined };

const NUMBER_FLAGS = [
  ['person-class', 'personClass'],
  ['input-size', 'inputSize'],
  ['score-threshold', 'scoreThreshold'],
] as const;

/** The choice from parsed flags; a string is a usage error naming the flag. */
export function detectorChoiceFromFlags(values: FlagValues): DetectorChoice | string {
  const choice: DetectorChoice = {};
  if (values.model !== undefined) choice.model = values.model;
  const layout = values['yolo-layout'];
  if (layout !== undefined) {
    if (layout !== 'v5' && layout !== 'v8') return `--yolo-layout: expected v5 or v8, found '${layout}'`;
    choice.yoloLayout = layout;
  }
  for (const [flag, key] of NUMBER_FLAGS) {
    const text = values[flag];
    if (text === undefined) continue;
    const n = Number(text);
    if (text.trim() === '' || !Number.isFinite(n)) return `--${flag}: expected a number, found '${text}'`;
    choice[key] = n;
  }
  return choice;
}

const isYolo = (model: string): boolean => model !== 'front' && model !== 'back';

/** Flags that do not go together, as a usage error; undefined when the choice is complete. */
export function detectorChoiceError(choice: DetectorChoice): string | undefined {
  const model = choice.model ?? 'front';
  if (isYolo(model) && choice.yoloLayout === undefined) {
    return `--model ${model}: a model file needs --yolo-layout v5|v8 (or use --model front|back)`;
  }
  if (!isYolo(model) && (choice.yoloLayout ?? choice.personClass ?? choice.inputSize) !== undefined) {
    return '--yolo-layout, --person-class and --input-size apply only to a .onnx model file';
  }
  return undefined;
}

/**
 * Loads the chosen detector (check it with detectorChoiceError first). A missing or unloadable
 * model file, or one of the wrong shape, throws PerceptionError naming the file.
 */
export async function loadDetector(choice: DetectorChoice): Promise<Detector> {
  const model = choice.model ?? 'front';
  const threshold = choice.scoreThreshold !== undefined ? { scoreThreshold: choice.scoreThreshold } : {};
  if (!isYolo(model)) return BlazeFaceDetector.load({ variant: model as 'front' | 'back', ...threshold });
  return YoloDetector.load({
    modelPath: model,
    layout: choice.yoloLayout!,
    ...(choice.personClass !== undefined ? { personClass: choice.personClass } : {}),
    ...(choice.inputSize !== undefined ? { inputSize: choice.inputSize } : {}),
    ...threshold,
  });
}
