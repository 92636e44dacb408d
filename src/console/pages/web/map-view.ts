/**
 * The live map on a canvas: the occupancy image, desks coloured by state, the planned path, scan
 * points, people, and the robot with its footprint and heading. Pan by dragging (mouse, pen or
 * one finger), zoom with the wheel, a pinch, or the +/− buttons. Drawn on the next animation
 * frame after anything changes, never more often.
 */
import type { DeskNow, LiveState, MapImage, SiteReply } from '../../protocol.js';

const COLOURS = {
  open: '#1b6e35',
  closed: '#b3261e',
  paused: '#7a4f00',
  path: '#0b4f8a',
  scan: '#d11a7a',
  person: '#5b2a86',
  robot: '#0b4f8a',
  dock: '#1a1a1a',
  alert: '#b3261e',
};

/** A robot of a fleet on the map: its id drawn beside it; `alert` draws it in the alert colour. */
export interface FleetMarker {
  id: string;
  x: number;
  y: number;
  yaw: number;
  alert: boolean;
}

interface View {
  /** Screen pixels per map-image pixel. */
  scale: number;
  /** Screen position (CSS px) of the image's top-left corner. */
  x: number;
  y: number;
}

export class MapView {
  private map: MapImage | undefined;
  private image: HTMLImageElement | undefined;
  private site: SiteReply | undefined;
  private state: Partial<LiveState> = {};
  private fleet: readonly FleetMarker[] = [];
  private view: View = { scale: 1, x: 0, y: 0 };
  private fitted = false;
  private frameRequested = false;
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private pinchDistance = 0;
  /** Frames drawn (the tests wait on it). */
  frames = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.wirePointer();
    new ResizeObserver(() => this.redraw()).observe(canvas);
  }

  setSite(site: SiteReply): void {
    this.site = site;
    this.redraw();
  }

  setMap(map: MapImage): void {
    this.map = map;
    const image = new Image();
    image.addEventListener('load', () => {
      this.image = image;
      if (!this.fitted) this.fit();
      this.redraw();
    });
    image.src = map.png;
  }

  setState(state: Partial<LiveState>): void {
    this.state = state;
    this.redraw();
  }

  /** A fleet's robots on this floor (the fleet console), drawn with their ids. */
  setFleet(robots: readonly FleetMarker[]): void {
    this.fleet = robots;
    this.redraw();
  }

  /** Whole map in view. */
  fit(): void {
    if (this.map === undefined) return;
    const { width, height } = this.canvas.getBoundingClientRect();
    if (width === 0 || height === 0) return;
    const scale = Math.min(width / this.map.width, height / this.map.height) * 0.95;
    this.view = {
      scale,
      x: (width - this.map.width * scale) / 2,
      y: (height - this.map.height * scale) / 2,
    };
    this.fitted = true;
    this.redraw();
  }

  /** Zoom by `factor` about a screen point (CSS px), the canvas centre by default. */
  zoom(factor: number, at?: { x: number; y: number }): void {
    const rect = this.canvas.getBoundingClientRect();
    const cx = at?.x ?? rect.width / 2;
    const cy = at?.y ?? rect.height / 2;
    const scale = Math.min(Math.max(this.view.scale * factor, 0.2), 60);
    const applied = scale / this.view.scale;
    this.view = { scale, x: cx - (cx - this.view.x) * applied, y: cy - (cy - this.view.y) * applied };
    this.redraw();
  }

  pan(dx: number, dy: number): void {
    this.view = { ...this.view, x: this.view.x + dx, y: this.view.y + dy };
    this.redraw();
  }

  /** Map-frame metres to screen CSS px. */
  toScreen(x: number, y: number): { x: number; y: number } {
    const map = this.map!;
    const px = (x - map.origin.x) / map.resolution;
    const py = map.height - (y - map.origin.y) / map.resolution;
    return { x: this.view.x + px * this.view.scale, y: this.view.y + py * this.view.scale };
  }

  private redraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  private draw(): void {
    const rect = this.canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(rect.width * dpr);
    const height = Math.round(rect.height * dpr);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, rect.width, rect.height);
    if (this.map === undefined || this.image === undefined) return;
    if (!this.fitted) this.fit();
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(
      this.image,
      this.view.x,
      this.view.y,
      this.map.width * this.view.scale,
      this.map.height * this.view.scale,
    );
    const metre = this.view.scale / this.map.resolution;
    this.drawDock(ctx, metre);
    this.drawDesks(ctx, metre);
    this.drawPath(ctx);
    this.drawScan(ctx);
    this.drawPeople(ctx, metre);
    this.drawRobot(ctx, metre);
    const robots = this.drawFleet(ctx, metre);
    this.frames++;
    // The view as data, for the browser tests (and anyone inspecting the page).
    Object.assign(this.canvas.dataset, {
      frames: String(this.frames),
      scale: this.view.scale.toFixed(4),
      x: this.view.x.toFixed(1),
      y: this.view.y.toFixed(1),
      ...(this.fleet.length ? { robots } : {}),
    });
  }

  private drawDock(ctx: CanvasRenderingContext2D, metre: number): void {
    if (this.site === undefined) return;
    const p = this.toScreen(this.site.dock.x, this.site.dock.y);
    const size = Math.max(6, 0.6 * metre);
    ctx.strokeStyle = COLOURS.dock;
    ctx.lineWidth = 2;
    ctx.strokeRect(p.x - size / 2, p.y - size / 2, size, size);
  }

  private drawDesks(ctx: CanvasRenderingContext2D, metre: number): void {
    if (this.site === undefined) return;
    const states = new Map<string, DeskNow>((this.state.desks ?? []).map((d) => [d.id, d]));
    const radius = Math.max(6, 0.5 * metre);
    ctx.font = '600 13px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const desk of this.site.desks) {
      const now = states.get(desk.id);
      const colour = COLOURS[now?.state ?? 'open'];
      const p = this.toScreen(desk.pose.x, desk.pose.y);
      ctx.fillStyle = colour;
      ctx.beginPath();
      ctx.arc(p.x, p.y, radius, 0, Math.PI * 2);
      ctx.fill();
      const label = `${desk.name.en.replace(/\s*\(.*\)$/, '')}${now && now.state !== 'open' ? ` (${now.state})` : ''}`;
      drawLabel(ctx, label, p.x + radius + 4, p.y, colour);
    }
  }

  private drawPath(ctx: CanvasRenderingContext2D): void {
    const path = this.state.path ?? [];
    if (path.length < 2) return;
    ctx.strokeStyle = COLOURS.path;
    ctx.lineWidth = 3;
    ctx.setLineDash([8, 5]);
    ctx.beginPath();
    path.forEach(([x, y], i) => {
      const p = this.toScreen(x, y);
      if (i === 0) ctx.moveTo(p.x, p.y);
      else ctx.lineTo(p.x, p.y);
    });
    ctx.stroke();
    ctx.setLineDash([]);
  }

  private drawScan(ctx: CanvasRenderingContext2D): void {
    ctx.fillStyle = COLOURS.scan;
    for (const [x, y] of this.state.scan ?? []) {
      const p = this.toScreen(x, y);
      ctx.fillRect(p.x - 1.5, p.y - 1.5, 3, 3);
    }
  }

  private drawPeople(ctx: CanvasRenderingContext2D, metre: number): void {
    ctx.fillStyle = COLOURS.person;
    const radius = Math.max(4, 0.25 * metre);
    for (const person of this.state.people ?? []) {
      const p = this.toScreen(person.x, person.y);
      ctx.beginPath();
      ctx.arc(p.x, p.y, radius, 0, Math.PI * 2);
      ctx.fill();
    }
  }

  private drawRobot(ctx: CanvasRenderingContext2D, metre: number): void {
    const pose = this.state.pose;
    if (pose === null || pose === undefined) return;
    const p = this.toScreen(pose.x, pose.y);
    const radius = Math.max(6, (this.site?.robot_radius ?? 0.3) * metre);
    drawBody(ctx, p, pose.yaw, radius, { fill: 'rgba(11,79,138,0.25)', line: COLOURS.robot, reach: 1.6 });
  }

  /**
   * Each fleet robot as a disc with its heading and id; returns 'id@x,y …' (screen px) for tests.
   * Labels first, robots over them: a label never hides a robot standing near another.
   */
  private drawFleet(ctx: CanvasRenderingContext2D, metre: number): string {
    const radius = Math.max(7, (this.site?.robot_radius ?? 0.3) * metre);
    const placed = this.fleet.map((robot) => ({
      robot,
      at: this.toScreen(robot.x, robot.y),
      colour: robot.alert ? COLOURS.alert : COLOURS.robot,
    }));
    ctx.font = '700 13px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    for (const { robot, at, colour } of placed) drawLabel(ctx, robot.id, at.x + radius + 4, at.y, colour);
    for (const { robot, at, colour } of placed)
      drawBody(ctx, at, robot.yaw, radius, { fill: colour, line: colour, reach: 1.8 });
    return placed.map(({ robot, at }) => `${robot.id}@${at.x.toFixed(0)},${at.y.toFixed(0)}`).join(' ');
  }

  private wirePointer(): void {
    const canvas = this.canvas;
    canvas.addEventListener('pointerdown', (event) => {
      canvas.setPointerCapture(event.pointerId);
      this.pointers.set(event.pointerId, { x: event.offsetX, y: event.offsetY });
      this.pinchDistance = this.currentPinch();
    });
    canvas.addEventListener('pointermove', (event) => {
      const last = this.pointers.get(event.pointerId);
      if (last === undefined) return;
      const now = { x: event.offsetX, y: event.offsetY };
      this.pointers.set(event.pointerId, now);
      if (this.pointers.size === 1) {
        this.pan(now.x - last.x, now.y - last.y);
      } else if (this.pointers.size === 2) {
        const distance = this.currentPinch();
        if (this.pinchDistance > 0 && distance > 0)
          this.zoom(distance / this.pinchDistance, this.pinchCentre());
        this.pinchDistance = distance;
      }
    });
    const release = (event: PointerEvent) => {
      this.pointers.delete(event.pointerId);
      this.pinchDistance = this.currentPinch();
    };
    canvas.addEventListener('pointerup', release);
    canvas.addEventListener('pointercancel', release);
    canvas.addEventListener(
      'wheel',
      (event) => {
        event.preventDefault();
        this.zoom(Math.exp(-event.deltaY * 0.0015), { x: event.offsetX, y: event.offsetY });
      },
      { passive: false },
    );
    canvas.addEventListener('keydown', (event) => {
      const step = 40;
      const moves: Record<string, [number, number]> = {
        ArrowLeft: [step, 0],
        ArrowRight: [-step, 0],
        ArrowUp: [0, step],
        ArrowDown: [0, -step],
      };
      const move = moves[event.key];
      if (move) this.pan(move[0], move[1]);
      else if (event.key === '+' || event.key === '=') this.zoom(1.25);
      else if (event.key === '-') this.zoom(0.8);
      else return;
      event.preventDefault();
      event.stopPropagation();
    });
  }

  private currentPinch(): number {
    const [a, b] = [...this.pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  }

  private pinchCentre(): { x: number; y: number } {
    const [a, b] = [...this.pointers.values()];
    return a && b ? { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 } : { x: 0, y: 0 };
  }
}

/** Text on a white box, starting at x and centred on y, readable over the map. */
function drawLabel(ctx: CanvasRenderingContext2D, text: string, x: number, y: number, colour: string): void {
  ctx.fillStyle = 'rgba(255,255,255,0.9)';
  ctx.fillRect(x - 2, y - 9, ctx.measureText(text).width + 4, 18);
  ctx.fillStyle = colour;
  ctx.fillText(text, x, y);
}

/** A robot's body and its heading, `reach` radii long (screen y grows downwards, map y upwards). */
function drawBody(
  ctx: CanvasRenderingContext2D,
  at: { x: number; y: number },
  yaw: number,
  radius: number,
  style: { fill: string; line: string; reach: number },
): void {
  ctx.fillStyle = style.fill;
  ctx.strokeStyle = style.line;
  ctx.lineWidth = 2;
  ctx.beginPath();
  ctx.arc(at.x, at.y, radius, 0, Math.PI * 2);
  ctx.fill();
  ctx.stroke();
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(at.x, at.y);
  ctx.lineTo(at.x + Math.cos(yaw) * radius * style.reach, at.y - Math.sin(yaw) * radius * style.reach);
  ctx.stroke();
}
