/**
 * Someone at the kiosk, in the simulator: when the robot takes a kiosk request and sets off, a
 * simulated customer steps up beside it and follows (the simulator's own customer play, with no
 * scenario customers of its own). Step it on every simulation step.
 */
import { CustomerPlay } from '../../sim/customer-play.js';
import { Rng } from '../../sim/rng.js';
import type { ConsoleHarness } from './console-harness.js';

export function kioskCustomers(h: ConsoleHarness): CustomerPlay {
  return new CustomerPlay([], {
    node: h.graph.createNode('kiosk_customers'),
    world: h.world.physics,
    simulator: h.world.simulator,
    dock: h.site.dock,
    rng: new Rng(1).fork('kiosk'),
    now: () => h.world.elapsedS,
    emit: () => undefined,
  });
}
