import { h } from './dom.js';

/** A modal that resolves true only on its confirm button: every replay and purge passes here. */
export function confirmDialog({ title, text, confirm, tone }) {
  return new Promise((resolve) => {
    const yes = h('button', { type: 'button', class: tone, dataset: { action: 'confirm' }, text: confirm });
    const no = h('button', { type: 'button', dataset: { action: 'cancel' }, text: 'Cancel' });
    const dialog = h('dialog', { class: 'confirm' }, h('h3', { text: title }), h('p', { text }), h('div', { class: 'toolbar end' }, no, yes));
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      done(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    no.focus();
  });
}
