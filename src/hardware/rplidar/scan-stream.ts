/**
 * Scan nodes in, one sensor_msgs/LaserScan per finished turn out, and what the watchdog needs:
 * when the last node came. reset() forgets the turn in progress, so nodes after a silence or on
 * a new link never join older ones.
 */
import { nsToTimeMsg, type LaserScan } from '../../ros/index.js';
import { RevolutionAssembler, revolutionToScan, type ScanGeometry } from './assembler.js';
import type { ScanNode } from './protocol.js';

export interface ScanStreamStats {
  scans: number;
  revolutions: number;
  /** From the last scan's scan_time. */
  rotationHz: number | undefined;
  nodesPerRevolution: number | undefined;
}

export class ScanStream {
  readonly #geometry: ScanGeometry;
  readonly #assembler = new RevolutionAssembler();
  #lastNodeNs: bigint | undefined;
  #scans = 0;
  #rotationHz: number | undefined;
  #nodesPerRevolution: number | undefined;

  constructor(geometry: ScanGeometry) {
    this.#geometry = { ...geometry };
  }

  /** Adds a node received at `atNs`; returns the scan of the turn its start flag finished, if any. */
  take(node: ScanNode, atNs: bigint): LaserScan | undefined {
    this.#lastNodeNs = atNs;
    const revolution = this.#assembler.push(node, atNs);
    if (!revolution) return undefined;
    // Stamped at the turn's first node: REP-117's time of the first ray.
    const scan = revolutionToScan(revolution, this.#geometry, nsToTimeMsg(revolution.startNs));
    this.#scans++;
    this.#rotationHz = scan.scan_time > 0 ? 1 / scan.scan_time : undefined;
    this.#nodesPerRevolution = revolution.angleDeg.length;
    return scan;
  }

  /** ns since the last node at `nowNs`; undefined when none came since the last reset. */
  quietForNs(nowNs: bigint): bigint | undefined {
    return this.#lastNodeNs === undefined ? undefined : nowNs - this.#lastNodeNs;
  }

  reset(): void {
    this.#assembler.reset();
    this.#lastNodeNs = undefined;
  }

  stats(): ScanStreamStats {
    return {
      scans: this.#scans,
      revolutions: this.#assembler.stats().revolutions,
      rotationHz: this.#rotationHz,
      nodesPerRevolution: this.#nodesPerRevolution,
    };
  }
}
