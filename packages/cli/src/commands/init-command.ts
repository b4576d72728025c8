import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CommandRegistration } from '../command-registry.js';
import {
  locateConfiguration,
  chooseProfile,
  resolveConfiguredPath,
} from '../configuration/configuration-lookup.js';
import { configurationJsonSchemaText } from '../configuration/configuration-json-schema.js';
import { DEFAULT_PORT } from '../configuration/configuration-schema.js';
import { planInit } from '../configuration/init-plan.js';
import { CliError } from '../errors.js';

/**
 * `ketrew init`: write a profile (server and client parts, or `--just-client`) and a token, so
 * that every later command works without flags. The token is printed once.
 */
export const initCommand: CommandRegistration = (cli, select) =>
  cli.command(
    'init',
    'Create the configuration (server and client profile) and a first API token',
    (y) =>
      y
        .option('port', {
          type: 'number',
          default: DEFAULT_PORT,
          describe: 'Port the server listens on',
        })
        .option('host', {
          type: 'string',
          default: '127.0.0.1',
          describe: 'Address the server binds (0.0.0.0 for all)',
        })
        .option('with-token', {
          type: 'string',
          array: true,
          nargs: 1,
          describe: 'Use this token (repeatable) instead of a random one',
        })
        .option('database', {
          alias: 'use-database',
          type: 'string',
          describe: 'SQLite path or postgresql://… URI (default: ketrew.db in $KETREW_ROOT)',
        })
        .option('tls', { type: 'string', describe: 'Serve https with CERTIFICATE,KEY' })
        .option('self-signed-tls', {
          type: 'boolean',
          default: false,
          describe: 'Serve https with a generated self-signed certificate',
        })
        .option('just-client', {
          type: 'string',
          describe: 'Client-only profile for the server at URL (…/gui?token=T works)',
        })
        .option('force', {
          type: 'boolean',
          default: false,
          describe: 'Replace the profile if it exists',
        }),
    (args) =>
      select(async (ctx) => {
        const location = locateConfiguration({
          option: ctx.args.configurationFile,
          env: ctx.io.env,
          cwd: ctx.io.cwd,
          home: ctx.io.home,
        });
        const profileName = chooseProfile({ option: ctx.args.profile, env: ctx.io.env }).name;
        const plan = planInit({
          port: args.port,
          host: args.host,
          database: args.database,
          tls: args.tls,
          selfSignedTls: args.selfSignedTls,
          justClient: args.justClient,
          cwd: ctx.io.cwd,
        });
        const existing = readExisting(location.path, args.force);
        if (Object.hasOwn(existing.profiles, profileName) && !args.force) {
          throw new CliError(
            'failure',
            `profile "${profileName}" already exists in ${location.path}`,
            {
              hint: 'Use --force to replace it, or -P NAME to add another profile.',
            },
          );
        }
        mkdirSync(dirname(location.path), { recursive: true });

        let token = plan.givenToken;
        const created: string[] = [];
        if (plan.kind === 'server-and-client') {
          const { createToken, revokeToken } = await import('@ketrew/server');
          const tokensFile = resolveConfiguredPath('tokens.json', location.path, ctx.io.home);
          const given = args.withToken ?? [];
          const count = Math.max(1, given.length);
          for (let i = 0; i < count; i++) {
            const name = i === 0 ? profileName : `${profileName}-${i + 1}`;
            if (args.force) await revokeToken(tokensFile, name);
            const result = await createToken(tokensFile, {
              name,
              scopes: ['admin'],
              comment: 'created by ketrew init',
              token: given[i],
            });
            created.push(result.token);
          }
          token = created[0] ?? null;
        }

        const schemaPath = join(dirname(location.path), 'configuration.schema.json');
        writeFileSync(schemaPath, configurationJsonSchemaText());
        const file = {
          $schema: './configuration.schema.json',
          ...existing,
          profiles: { ...existing.profiles, [profileName]: plan.profile(token) },
        };
        writeFileSync(location.path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
        chmodSync(location.path, 0o600);

        if (ctx.json) {
          ctx.printJson({
            configurationFile: location.path,
            profile: profileName,
            kind: plan.kind,
            token,
          });
          return;
        }
        const c = ctx.colours;
        ctx.print(`Wrote profile ${c.bold(profileName)} to ${location.path}`);
        if (plan.kind === 'server-and-client') {
          const newToken = args.withToken === undefined;
          if (newToken && token !== null) {
            ctx.print(
              `Your API token (shown once; the client part of the profile uses it):\n\n    ${c.bold(token)}\n`,
            );
          } else {
            ctx.print(`Tokens registered: ${created.length}.`);
          }
          const profileFlag = profileName === 'default' ? '' : ` -P ${profileName}`;
          ctx.print(
            `Next: ${c.cyan(`ketrew start-server --daemonize${profileFlag}`)}, then ${c.cyan(`ketrew status${profileFlag}`)}.`,
          );
        } else {
          ctx.print(
            `Client of ${String((plan.profile(token) as { client: { url: string } }).client.url)}${token === null ? ' (no token: add one with --token or edit the file)' : ''}.`,
          );
        }
      }),
  );

interface ExistingFile {
  readonly profiles: Record<string, unknown>;
  readonly [key: string]: unknown;
}

function readExisting(path: string, force: boolean): ExistingFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { profiles: {} };
  }
  try {
    const json = JSON.parse(text) as unknown;
    if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
      const profiles = (json as { profiles?: unknown }).profiles;
      if (typeof profiles === 'object' && profiles !== null && !Array.isArray(profiles)) {
        return { ...(json as object), profiles: profiles as Record<string, unknown> };
      }
    }
  } catch {
    // fall through: not a configuration we can add to
  }
  if (force) return { profiles: {} };
  throw new CliError('configuration', `${path} exists but is not a configuration file`, {
    hint: 'Use --force to overwrite it.',
  });
}
