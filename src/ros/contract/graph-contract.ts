/**
 * One contract for every graph backend: the behaviour the robot's nodes rely on, registered as
 * vitest tests against a backend factory. The embedded graph runs it always
 * (embedded.contract.test.ts); rclnodejs on a real ROS 2 runs it wherever ROS_DISTRO is set
 * (rclnodejs.contract.test.ts). What one backend does and the other cannot (the embedded graph's
 * delivery order across topics, say) stays in that backend's own tests.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { BackendFactory, ContractBackend } from './backend.js';
import { actionsContract, servicesContract } from './calls.js';
import { messagingContract } from './messaging.js';
import { clockContract, lifecycleContract, parametersContract, timersContract } from './node-contract.js';

export type { BackendFactory, ContractBackend } from './backend.js';
export { resolveOn, TrackedGraph } from './backend.js';

/** Registers the contract's tests for `open`, a fresh backend for each test. */
export function graphContract(name: string, open: BackendFactory): void {
  describe(`graph contract: ${name}`, () => {
    let current: ContractBackend | undefined;
    const backend = (): ContractBackend => {
      if (!current) throw new Error('the backend is opened before each test');
      return current;
    };
    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.close();
      current = undefined;
    });
    describe('topics and names', () => messagingContract(backend));
    describe('services', () => servicesContract(backend));
    describe('actions', () => actionsContract(backend));
    describe('clock', () => clockContract(backend));
    describe('timers', () => timersContract(backend));
    describe('parameters', () => parametersContract(backend));
    describe('destroy and shutdown', () => lifecycleContract(backend));
  });
}
