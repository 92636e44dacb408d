/**
 * The console's teleop and e-stop controls. Taking control needs a confirmation and an idle or
 * paused robot; releasing the e-stop needs the operator role and a confirmation.
 */
import type { LiveState } from '../../protocol.js';
import type { ConsoleContext } from './console.js';
import { byId, confirmDialog } from './dom.js';
import { api } from './http.js';
import { ROUTES } from './routes.js';
import { TeleopDriver, wireJoystick } from './teleop.js';

/** As the server's HANDS_FREE: at rest, paused, or stopped with a critical charge (to drive it home). */
const TAKEABLE = new Set(['idle', 'paused', 'closed', 'charging', 'battery_critical']);

export interface TeleopWiring {
  state(state: Partial<LiveState>): void;
  /** A lost connection stops driving at once (the server's deadman stops the robot on its side). */
  connection(open: boolean): void;
}

export function wireTeleop(context: ConsoleContext): TeleopWiring {
  const take = byId<HTMLButtonElement>('teleop-take');
  const release = byId<HTMLButtonElement>('teleop-release');
  const drive = byId('teleop-drive');
  const status = byId('teleop-status');
  const drivingText = byId('teleop-driving');
  const driver = new TeleopDriver(
    (message) => context.live.send(message),
    (driving) => {
      drivingText.textContent = driving ? 'Driving…' : 'Stopped.';
    },
  );
  (window as unknown as { teleopDriver: TeleopDriver }).teleopDriver = driver;
  wireJoystick(byId('joystick'), byId('joystick-knob'), (stick) => driver.setStick(stick));

  take.addEventListener('click', () => {
    void (async () => {
      if (!(await confirmDialog(byId<HTMLDialogElement>('teleop-dialog')))) return;
      await act(status, () => api('POST', ROUTES.teleopTake, { confirm: true }));
    })();
  });
  release.addEventListener('click', () => {
    driver.stop();
    void act(status, () => api('POST', ROUTES.teleopRelease));
  });
  wireEstop(context);

  let holder = '';
  const render = (state: Partial<LiveState>) => {
    holder = state.teleop?.holder ?? '';
    const mine = state.teleop?.holder === context.session.name;
    const missionState = state.mission?.state ?? 'idle';
    driver.setEnabled(mine && context.live.open);
    drive.hidden = !mine;
    release.hidden = !mine;
    take.hidden = mine;
    take.disabled =
      !TAKEABLE.has(missionState) || (state.teleop?.holder ?? '') !== '' || !!state.safety?.estop_latched;
    if (mine) status.textContent = 'You are driving the robot.';
    else if (state.teleop?.holder) status.textContent = `${state.teleop.holder} is driving the robot.`;
    else if (!TAKEABLE.has(missionState)) status.textContent = 'Pause the mission first to drive by hand.';
    else status.textContent = 'The robot is free: you may take control.';
    renderEstop(context, state);
  };
  return {
    state: render,
    connection: (open) => {
      if (!open) driver.setEnabled(false);
      else driver.setEnabled(holder === context.session.name);
    },
  };
}

function wireEstop(context: ConsoleContext): void {
  const status = byId('estop-text');
  byId('estop').addEventListener('click', () => {
    void act(status, () => api('POST', ROUTES.estop, { engaged: true }));
  });
  byId('estop-release').addEventListener('click', () => {
    void (async () => {
      if (!(await confirmDialog(byId<HTMLDialogElement>('estop-dialog')))) return;
      await act(status, () => api('POST', ROUTES.estop, { engaged: false, confirm: true }));
    })();
  });
  if (!context.can('operator')) byId('estop-release').hidden = true;
}

function renderEstop(context: ConsoleContext, state: Partial<LiveState>): void {
  const latched = state.safety?.estop_latched ?? false;
  const banner = byId('estop-banner');
  const wasLatched = !banner.hidden;
  banner.hidden = !latched;
  // Anyone logged in may stop the robot; only an operator may release it.
  byId('estop').hidden = latched;
  if (latched && !wasLatched) {
    const why = state.safety?.source ? ` (${state.safety.source})` : '';
    byId('estop-text').textContent =
      `E-stop latched${why}: the robot will not move until an operator releases it.`;
  }
}

/** Runs an action, showing its refusal in `status` in plain words. */
export async function act(status: HTMLElement, action: () => Promise<unknown>): Promise<boolean> {
  try {
    const reply = (await action()) as { success?: boolean; message?: string } | undefined;
    if (reply && reply.success === false) {
      status.textContent = reply.message ?? 'The robot refused.';
      return false;
    }
    return true;
  } catch (error) {
    status.textContent = error instanceof Error ? error.message : String(error);
    return false;
  }
}
