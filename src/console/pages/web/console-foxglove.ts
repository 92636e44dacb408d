/**
 * A Foxglove link for the signed-in user: the address the Foxglove app opens, holding a pass
 * that ends with this sign-in. Shown only on request (it is a credential), never stored.
 */
import { byId } from './dom.js';
import { ApiError, api } from './http.js';
import { ROUTES } from './routes.js';

/** The server's reply (src/console/server/routes-foxglove.ts). */
interface FoxglovePass {
  url: string;
  expires: string;
  drive: boolean;
  how: string;
}

export function wireFoxglove(): void {
  const button = byId<HTMLButtonElement>('foxglove-pass');
  const result = byId('foxglove-result');
  const url = byId<HTMLInputElement>('foxglove-url');
  const label = byId('foxglove-url-label');
  button.addEventListener('click', () => {
    void (async () => {
      try {
        const pass = await api<FoxglovePass>('POST', ROUTES.foxglovePass);
        const until = new Date(pass.expires).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
        result.textContent = `${pass.how} Valid until ${until}.`;
        url.value = pass.url;
        url.hidden = label.hidden = false;
        url.select();
      } catch (e) {
        url.hidden = label.hidden = true;
        result.textContent = offText(e);
      }
    })();
  });
}

/** A robot running without the Foxglove view has no such route (404) or no server yet (503). */
function offText(e: unknown): string {
  if (e instanceof ApiError && (e.status === 404 || e.status === 503))
    return 'The Foxglove view is off on this robot (it is started with --foxglove PORT).';
  return e instanceof Error ? e.message : String(e);
}
