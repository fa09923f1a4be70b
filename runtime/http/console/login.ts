import type { Asset } from './assets.ts';

/** The sign-in form with a message in its slot (escaped: it is the only text not in the file). */
export function loginPage(assets: Map<string, Asset>, message = ''): string {
  const html = assets.get('login.html')!.body.toString('utf8');
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return html.replace('<!--message-->', escaped ? `<p class="error" role="alert">${escaped}</p>` : '');
}
