/** Where the Foxglove server listens by default, and which addresses keep it on this machine. */

/** This machine only: a robot's live view is not on the network unless asked for. */
export const DEFAULT_FOXGLOVE_HOST = '127.0.0.1';

/** Only this machine can reach a server on a loopback address. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
