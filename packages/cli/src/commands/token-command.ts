import type { CommandContext } from '../command-context.js';

/** The scopes of @ketrew/server (docs/auth.md), repeated to keep the server off the start-up path. */
const SCOPES = ['read', 'submit', 'operate', 'admin'] as const;
import type { CommandRegistration } from '../command-registry.js';
import { CliError } from '../errors.js';
import { formatTime } from '../output/node-format.js';
import { renderTable } from '../output/table.js';

/**
 * `ketrew token create|list|revoke`: manage the server's tokens file (hashed tokens) of the
 * profile's server part. A running server notices changes within a second.
 */
export const tokenCommand: CommandRegistration = (cli, select) =>
  cli.command('token', 'Create, list or revoke API tokens of the server', (y) =>
    y
      .command(
        'create <name>',
        'Create a token and print it (the only time it is shown)',
        (t) =>
          t
            .positional('name', {
              type: 'string',
              demandOption: true,
              describe: 'Name of the token (who or what uses it)',
            })
            .option('scope', {
              type: 'string',
              array: true,
              nargs: 1,
              choices: SCOPES,
              describe: 'Scope (repeatable; default read, submit, operate)',
            })
            .option('comment', { type: 'string', describe: 'Free text kept with the token' })
            .option('value', {
              type: 'string',
              describe: 'Use this token (16+ characters) instead of a random one',
            }),
        (args) =>
          select(async (ctx) => {
            const file = tokensFile(ctx);
            const { createToken } = await import('@ketrew/server');
            const { token, info } = await guard(() =>
              createToken(file, {
                name: args.name,
                scopes: args.scope,
                comment: args.comment,
                token: args.value,
              }),
            );
            if (ctx.json) ctx.printJson({ token, ...info });
            else {
              ctx.note(
                `Created token ${ctx.errorColours.bold(info.name)} (${info.scopes.join(', ')}); it is shown only now:`,
              );
              ctx.print(token);
            }
          }),
      )
      .command(['list', 'ls'], 'List the tokens (names and scopes, never the tokens)', {}, () =>
        select(async (ctx) => {
          const { listTokens } = await import('@ketrew/server');
          const tokens = await guard(() => listTokens(tokensFile(ctx)));
          if (ctx.json) {
            ctx.printJson(tokens);
            return;
          }
          if (tokens.length === 0) {
            ctx.print('No tokens.');
            return;
          }
          ctx.print(
            renderTable(
              [
                { header: 'NAME' },
                { header: 'SCOPES' },
                { header: 'CREATED' },
                { header: 'COMMENT', shrinkable: true },
              ],
              tokens.map((t) => [
                t.name,
                t.scopes.join(','),
                formatTime(Date.parse(t.createdAt)),
                t.comment,
              ]),
              { maxWidth: ctx.io.stdout.columns, header: ctx.colours.bold },
            ),
          );
        }),
      )
      .command(
        'revoke <name>',
        'Revoke a token (requests using it are refused from then on)',
        (t) => t.positional('name', { type: 'string', demandOption: true }),
        (args) =>
          select(async (ctx) => {
            const { revokeToken } = await import('@ketrew/server');
            const removed = await guard(() => revokeToken(tokensFile(ctx), args.name));
            if (!removed) throw new CliError('notFound', `there is no token named "${args.name}"`);
            if (ctx.json) ctx.printJson({ revoked: args.name });
            else ctx.print(`Revoked token ${args.name}.`);
          }),
      )
      .demandCommand(1, 'Choose create, list or revoke.'),
  );

function tokensFile(ctx: CommandContext): string {
  const profile = ctx.profile();
  if (profile.server === null) {
    throw new CliError(
      'configuration',
      `profile "${profile.name}" has no server part, so no tokens file`,
      {
        hint: 'Tokens are managed where the server runs; run `ketrew init` there, or choose its profile with -P.',
      },
    );
  }
  return profile.server.tokensFile;
}

/** The token library's errors (bad name, existing token) become one-line CLI errors. */
async function guard<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as { code?: unknown }).code;
    throw new CliError(
      code === 'token-exists' ? 'failure' : code === 'invalid-token' ? 'usage' : 'failure',
      (error as Error).message,
      { cause: error },
    );
  }
}
