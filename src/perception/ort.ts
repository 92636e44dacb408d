/**
 * onnxruntime-node, with its telemetry off. Every inference session the project creates comes from
 * this module (through onnx-model.ts's createSession).
 *
 * Since 1.29 the official Linux and macOS builds of onnxruntime carry Microsoft's 1DS telemetry
 * SDK, on by default: on the first session it writes a persistent device id and an SQLite queue of
 * events (process info with the OS, CPU model and memory; each session with the model's file name,
 * graph name and producer, and the execution provider; run counts and timings) to
 * $XDG_CACHE_HOME/Microsoft/DeveloperTools/.onnxruntime/ (else ~/.cache/…), queued for upload to
 * mobile.events.data.microsoft.com, and the SDK's own files to the temp folder: an empty debug log
 * `mat-debug-<pid>.log` and a session marker `.ses`. Its one off switch is the environment variable
 * ORT_DISABLE_TELEMETRY (1/true/yes), read once when onnxruntime sets up its environment, before
 * the first session: with it nothing is initialised, written or sent. The Node binding has no API
 * or session option for it (the C API's DisableTelemetryEvents is not exposed to JavaScript).
 * onnxruntime also stays quiet by itself under CI variables (CI, GITHUB_ACTIONS, …), which is why
 * the test that guards this (test/hostile/perception.test.ts) clears them.
 */
import { createRequire } from 'node:module';
import type Ort from 'onnxruntime-node';

/** The environment setting that keeps onnxruntime's telemetry from starting; see above. */
export const ORT_TELEMETRY_OFF = { ORT_DISABLE_TELEMETRY: '1' } as const;

/** Sets the switch in this process's environment (where onnxruntime's native code reads it). */
export function turnOffOrtTelemetry(): void {
  Object.assign(process.env, ORT_TELEMETRY_OFF);
}

// Before the library is loaded, in case a later version sets itself up at load time.
turnOffOrtTelemetry();
const ort = createRequire(import.meta.url)('onnxruntime-node') as typeof Ort;

export default ort;
export type { InferenceSession, Tensor } from 'onnxruntime-node';
