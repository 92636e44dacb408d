/**
 * The kiosk's side of a conversation with the robot: the screens for the answers that offer the
 * customer something to press: the desks the robot asks about, directions to walk alone, and a
 * service that is not on this floor with the way on.
 */
import type { Choice } from '../../protocol.js';
import { el } from './dom.js';
import type { Say } from './kiosk-replies.js';
import type { KioskStrings } from './kiosk-strings.js';

export { replyOf, type Reply, type Say } from './kiosk-replies.js';

/** The robot asked which desk: its question, a big numbered button per desk, and cancel. */
export function chooseView(
  w: KioskStrings,
  say: Say,
  pick: (choice: Choice) => void,
  cancel: () => void,
): Node[] {
  const buttons = say.choices.map((choice, i) => {
    const button = el(
      'button',
      { type: 'button', class: 'choice', 'data-choice': choice.id, lang: say.language },
      `${i + 1}. ${choice.name}`,
    );
    button.addEventListener('click', () => pick(choice));
    return button;
  });
  const stop = el('button', { type: 'button', class: 'secondary', id: 'cancel' }, w.cancel);
  stop.addEventListener('click', cancel);
  return [
    el('h1', { tabindex: '-1', class: 'big-message', id: 'question' }, say.text),
    el('div', { class: 'choices', role: 'group', 'aria-label': w.chooseOne }, ...buttons),
    el('div', { class: 'actions' }, stop),
  ];
}

/** Directions to walk alone, large; the escort offered instead when the desk is known. */
export function directionsView(
  w: KioskStrings,
  desk: string,
  text: string,
  escort: (() => void) | undefined,
  done: () => void,
): Node[] {
  const finish = el('button', { type: 'button', id: 'done' }, w.done);
  finish.addEventListener('click', done);
  let take: HTMLElement | null = null;
  if (escort) {
    take = el('button', { type: 'button', class: 'secondary', id: 'take-me' }, w.confirm);
    take.addEventListener('click', escort);
  }
  return [
    el('h1', { tabindex: '-1' }, desk === '' ? w.showTheWay : w.wayTo(desk)),
    el('p', { class: 'directions', id: 'directions' }, text),
    el('div', { class: 'actions' }, finish, take),
  ];
}

/** Not on this floor: where to go instead, plainly, with a button for each way on. */
export function elsewhereView(
  w: KioskStrings,
  say: Say,
  wayOn: (choice: Choice) => void,
  done: () => void,
): Node[] {
  const ways = say.choices.map((choice) => {
    const button = el(
      'button',
      { type: 'button', class: 'way-on', 'data-choice': choice.id },
      w.wayOn(choice.name),
    );
    button.addEventListener('click', () => wayOn(choice));
    return button;
  });
  const finish = el('button', { type: 'button', class: 'secondary', id: 'start-over' }, w.startOver);
  finish.addEventListener('click', done);
  return [
    el('h1', { tabindex: '-1' }, w.notHere),
    el('p', { class: 'robot-says big-message', id: 'answer' }, say.text),
    el('div', { class: 'actions' }, ...ways, finish),
  ];
}
