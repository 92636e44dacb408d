/**
 * Each site's floor with the fleet's robots on it, drawn by the robot console's map view: desks,
 * the dock, and every robot of the site where it last said it was, with its id (red when it
 * needs someone: vanished or e-stopped). Only sites whose folders the fleet service was given
 * have a floor. Built once from the first picture of the fleet; later changes only move the
 * robots, so a zoomed or panned map stays as the operator left it.
 */
import { ApiError, api } from '../../../console/pages/web/http.js';
import { byId, el } from '../../../console/pages/web/dom.js';
import { MapView, type FleetMarker } from '../../../console/pages/web/map-view.js';
import type { FleetSnapshot } from '../../fleet-control.js';
import type { FloorReply } from '../schemas.js';

export const floorPath = (site: string) => `/api/fleet/sites/${encodeURIComponent(site)}/floor`;
/** The ids of the sites that have a floor (the fleet service was given their folders). */
const FLOORS_PATH = '/api/fleet/floors';

/** The site's robots that have said where they are. */
export function markersOf(snapshot: FleetSnapshot, site: string): FleetMarker[] {
  return snapshot.robots.flatMap((r) => {
    const pose = r.site === site ? r.state?.pose : null;
    if (!pose) return [];
    const alert = r.status !== 'online' || r.state!.estop;
    return [{ id: r.robot, x: pose.x, y: pose.y, yaw: pose.yaw, alert }];
  });
}

export class FloorMaps {
  readonly #views = new Map<string, MapView>();
  #built = false;

  #floors: ReadonlySet<string> | undefined;
  #latest: FleetSnapshot | undefined;

  /** Asks which sites have a floor; the maps are built with the first picture of the fleet. */
  async start(): Promise<void> {
    this.#floors = new Set(await api<string[]>('GET', FLOORS_PATH));
    if (this.#latest) this.update(this.#latest);
  }

  update(snapshot: FleetSnapshot): void {
    this.#latest = snapshot;
    if (!this.#floors) return;
    if (!this.#built) this.#build(snapshot, this.#floors);
    for (const [site, view] of this.#views) view.setFleet(markersOf(snapshot, site));
  }

  #build(snapshot: FleetSnapshot, floors: ReadonlySet<string>): void {
    this.#built = true;
    for (const site of snapshot.sites.filter((s) => floors.has(s.id))) {
      const canvas = el('canvas', {
        class: 'map-canvas',
        tabindex: '0',
        role: 'img',
        'data-site': site.id,
        'aria-label': `Map of ${site.name} with its robots and desks. Arrow keys pan, plus and minus zoom.`,
      });
      const view = new MapView(canvas);
      const titleId = `floor-${site.id}-title`;
      const section = el(
        'section',
        { class: 'panel map-wrap fleet-floor', 'aria-labelledby': titleId },
        el('h2', { id: titleId }, `Floor: ${site.name}`),
        canvas,
        el(
          'div',
          { class: 'map-tools' },
          this.#button('+', `Zoom in on ${site.name}`, () => view.zoom(1.25)),
          this.#button('−', `Zoom out of ${site.name}`, () => view.zoom(0.8)),
          this.#button('Whole floor', undefined, () => view.fit()),
        ),
      );
      byId('floors').append(section);
      this.#views.set(site.id, view);
      void this.#load(site.id, view, section);
    }
  }

  async #load(site: string, view: MapView, section: HTMLElement): Promise<void> {
    try {
      const floor = await api<FloorReply>('GET', floorPath(site));
      view.setSite(floor.site);
      view.setMap(floor.map);
    } catch (error) {
      const why = error instanceof ApiError ? error.message : String(error);
      section.append(el('p', { class: 'error-text' }, `The floor map could not be loaded: ${why}`));
    }
  }

  #button(text: string, label: string | undefined, onClick: () => void): HTMLButtonElement {
    const button = el('button', { type: 'button', class: 'secondary', 'aria-label': label }, text);
    button.addEventListener('click', onClick);
    return button;
  }
}
