/**
 * Driving by hand, deadman style: while a key (arrows or WASD) or the on-screen joystick is held,
 * a teleop command goes out every 100 ms (the server applies each for 300 ms, so a lost message or
 * a lost page stops the robot by itself); letting go sends 'teleop_stop' at once, and so does the
 * page losing focus or being hidden.
 */
import type { ClientMessage } from '../../protocol.js';

export const SEND_EVERY_MS = 100;
/**
 * m/s at full stick: slow enough that the safety gate's deceleration (1.6 m/s² on this robot)
 * brings it to rest within the 300 ms a command is valid, so letting go means stopped by then.
 */
const LINEAR = 0.4;
const ANGULAR = 1.0; // rad/s at full stick

const KEYS: Record<string, 'forward' | 'back' | 'left' | 'right'> = {
  ArrowUp: 'forward',
  w: 'forward',
  W: 'forward',
  ArrowDown: 'back',
  s: 'back',
  S: 'back',
  ArrowLeft: 'left',
  a: 'left',
  A: 'left',
  ArrowRight: 'right',
  d: 'right',
  D: 'right',
};

export class TeleopDriver {
  private readonly held = new Set<string>();
  private stick: { linear: number; angular: number } | undefined;
  private timer: number | undefined;
  private enabled = false;
  /** Commands sent (the tests read it from the page). */
  sent = 0;

  constructor(
    private readonly send: (message: ClientMessage) => boolean,
    private readonly onDriving: (driving: boolean) => void,
  ) {
    window.addEventListener('keydown', (event) => this.keyDown(event));
    window.addEventListener('keyup', (event) => this.keyUp(event));
    window.addEventListener('blur', () => this.stop());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') this.stop();
    });
  }

  /** Only while this operator holds teleop do keys drive. */
  setEnabled(enabled: boolean): void {
    if (this.enabled === enabled) return;
    this.enabled = enabled;
    if (!enabled) this.stop();
  }

  /** The joystick: x right, y forward, each −1…1; null when let go. */
  setStick(stick: { x: number; y: number } | null): void {
    if (!this.enabled) return;
    this.stick = stick === null ? undefined : { linear: stick.y * LINEAR, angular: -stick.x * ANGULAR };
    this.update();
  }

  /** Let go of everything and tell the robot to stop now. */
  stop(): void {
    const wasDriving = this.timer !== undefined;
    this.held.clear();
    this.stick = undefined;
    if (this.timer !== undefined) window.clearInterval(this.timer);
    this.timer = undefined;
    if (wasDriving) {
      this.send({ type: 'teleop_stop' });
      this.onDriving(false);
    }
  }

  private keyDown(event: KeyboardEvent): void {
    const key = KEYS[event.key];
    if (!this.enabled || key === undefined || typingIn(event.target)) return;
    event.preventDefault();
    // A key still held from before a stop (focus lost, connection dropped) must be pressed afresh.
    if (event.repeat && !this.held.has(key)) return;
    this.held.add(key);
    this.update();
  }

  private keyUp(event: KeyboardEvent): void {
    const key = KEYS[event.key];
    if (key === undefined || !this.held.has(key)) return;
    event.preventDefault();
    this.held.delete(key);
    this.update();
  }

  private command(): { linear: number; angular: number } | undefined {
    if (this.stick !== undefined) return this.stick;
    if (this.held.size === 0) return undefined;
    const linear = (this.held.has('forward') ? 1 : 0) - (this.held.has('back') ? 1 : 0);
    const angular = (this.held.has('left') ? 1 : 0) - (this.held.has('right') ? 1 : 0);
    return { linear: linear * LINEAR, angular: angular * ANGULAR };
  }

  private update(): void {
    if (this.command() === undefined) {
      this.stop();
      return;
    }
    if (this.timer === undefined) {
      this.onDriving(true);
      this.tick();
      // A browser has only the wall clock; the server's deadman runs on the robot's node clock.
      this.timer = window.setInterval(() => this.tick(), SEND_EVERY_MS);
    }
  }

  private tick(): void {
    const command = this.command();
    if (command === undefined) return;
    if (this.send({ type: 'teleop', linear: round(command.linear), angular: round(command.angular) }))
      this.sent++;
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** The on-screen joystick: a disc and a knob; drag the knob (pointer: mouse, pen or finger). */
export function wireJoystick(
  pad: HTMLElement,
  knob: HTMLElement,
  onStick: (stick: { x: number; y: number } | null) => void,
): void {
  let active: number | undefined;
  const move = (event: PointerEvent) => {
    const rect = pad.getBoundingClientRect();
    const radius = rect.width / 2;
    let x = (event.clientX - rect.left - radius) / radius;
    let y = -(event.clientY - rect.top - radius) / radius;
    const length = Math.hypot(x, y);
    if (length > 1) {
      x /= length;
      y /= length;
    }
    knob.style.transform = `translate(${x * radius * 0.6}px, ${-y * radius * 0.6}px)`;
    onStick({ x, y });
  };
  pad.addEventListener('pointerdown', (event) => {
    active = event.pointerId;
    pad.setPointerCapture(event.pointerId);
    move(event);
  });
  pad.addEventListener('pointermove', (event) => {
    if (event.pointerId === active) move(event);
  });
  const release = (event: PointerEvent) => {
    if (event.pointerId !== active) return;
    active = undefined;
    knob.style.transform = '';
    onStick(null);
  };
  pad.addEventListener('pointerup', release);
  pad.addEventListener('pointercancel', release);
  pad.addEventListener('lostpointercapture', release);
}
