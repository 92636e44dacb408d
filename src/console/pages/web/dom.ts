/** Small DOM helpers shared by the console and the kiosk (no framework). */

type Child = Node | string | null | undefined | false;

/** An element with attributes (strings; `true` for a bare attribute) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (name === 'class') node.className = String(value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child);
  }
  return node;
}

/** The element with this id, of the expected kind; throws when the page lacks it (a bug). */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`page: no element #${id}`);
  return node as T;
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(
    ...children.filter((c): c is Node | string => c !== null && c !== undefined && c !== false),
  );
}

const TEXT_SIZES = [-1, 0, 1, 2, 3];

/** The A−/A+ controls: steps html[data-text-size] through the sizes the stylesheet defines. */
export function wireTextSize(smaller: HTMLButtonElement, larger: HTMLButtonElement, initial = 0): () => void {
  let index = TEXT_SIZES.indexOf(initial);
  const apply = () => {
    document.documentElement.dataset.textSize = String(TEXT_SIZES[index]);
    smaller.disabled = index === 0;
    larger.disabled = index === TEXT_SIZES.length - 1;
  };
  smaller.addEventListener('click', () => {
    index = Math.max(0, index - 1);
    apply();
  });
  larger.addEventListener('click', () => {
    index = Math.min(TEXT_SIZES.length - 1, index + 1);
    apply();
  });
  apply();
  return () => {
    index = TEXT_SIZES.indexOf(initial);
    apply();
  };
}

/** Resolves true when the person confirms the dialog, false when they cancel or press Escape. */
export function confirmDialog(dialog: HTMLDialogElement): Promise<boolean> {
  return new Promise((resolve) => {
    const done = () => {
      dialog.removeEventListener('close', done);
      resolve(dialog.returnValue === 'confirm');
    };
    dialog.returnValue = '';
    dialog.addEventListener('close', done);
    dialog.showModal();
  });
}

/**
 * A time of day, 24-hour hh:mm, from an ISO string ('' for none): in `timeZone` (the site's, so
 * every operator reads the same clock as the desks' hours), else the browser's.
 */
export function clock(iso: string, timeZone?: string): string {
  if (iso === '') return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  try {
    return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone });
  } catch {
    return date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
  }
}
