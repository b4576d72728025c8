import { spawn } from 'node:child_process';
import type { CommandRegistration } from '../command-registry.js';

/** `ketrew gui`: open the dashboard in a browser (its URL carries the token). */
export const guiCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'gui',
    'Open the web dashboard in a browser (or print its URL)',
    (y) => y.option('print', { type: 'boolean', default: false, describe: 'Only print the URL' }),
    (args) =>
      select(async (ctx) => {
        const client = ctx.profile().client;
        const base = (ctx.args.url ?? client.url).replace(/\/$/, '');
        const token = ctx.args.token ?? client.token;
        const url = `${base}/gui${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
        if (ctx.json) {
          ctx.printJson({ url });
          return;
        }
        if (args.print || !(await openInBrowser(url))) {
          ctx.print(url);
          return;
        }
        ctx.note(`Opened ${base}/gui in the browser.`);
      }),
  );

/** Ask the desktop to open a URL; `false` when there is no way to (no display, no opener). */
function openInBrowser(url: string): Promise<boolean> {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? null : 'xdg-open';
  if (
    opener === null ||
    (process.platform === 'linux' && !process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY'])
  ) {
    return Promise.resolve(false);
  }
  return new Promise((resolve) => {
    const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => resolve(false));
    child.on('spawn', () => {
      child.unref();
      resolve(true);
    });
  });
}
