/**
 * The broker's address as a person gives it. Apart from the link so that a command line can check
 * it without loading the NATS client (every CLI start would pay for that).
 */
const FLEET_URL = /^nats:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/** Checks a --fleet value: nats://HOST:PORT, nothing else (no credentials in the URL). */
export function parseFleetUrl(text: string, flag = '--fleet'): string {
  const m = FLEET_URL.exec(text);
  if (!m || Number(m[2]) > 65535) {
    throw new Error(
      `${flag}: expected nats://HOST:PORT such as nats://127.0.0.1:4222, got '${text.slice(0, 80)}' (credentials go in a seed file, never in the URL)`,
    );
  }
  return text;
}
