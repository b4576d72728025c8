import type { CommandContext } from '../command-context.js';
import type { CommandRegistration } from '../command-registry.js';
import type { LoadedProfile } from '../configuration/configuration-loader.js';
import type { ServerConfiguration } from '../configuration/configuration-schema.js';
import { describeDatabase, parseDatabaseUri } from '../configuration/database-uri.js';
import { CliError } from '../errors.js';
import { availableParallelism } from 'node:os';

/** `ketrew print-configuration [client|server]` (alias `pc`): the resolved profile. */
export const printConfigurationCommand: CommandRegistration = (cli, select) =>
  cli.command(
    ['print-configuration [part]', 'pc'],
    'Show the configuration profile in use, every default filled in',
    (y) =>
      y
        .positional('part', {
          choices: ['client', 'server', 'all'] as const,
          default: 'client' as const,
          describe: 'Which part of the profile',
        })
        .option('show-token', {
          type: 'boolean',
          default: false,
          describe: 'Print the client token instead of hiding it',
        }),
    (args) =>
      select(async (ctx) => {
        const profile = ctx.profile();
        const part = args.part ?? 'client';
        if (part === 'server' && profile.server === null) {
          throw new CliError(
            'configuration',
            `profile "${profile.name}" has no server part${profile.fileExists ? ` in ${profile.location.path}` : ' (there is no configuration file)'}`,
            { hint: 'Run `ketrew init` to create one.' },
          );
        }
        const token = args.showToken ? profile.client.token : maskToken(profile.client.token);
        if (ctx.json) {
          ctx.printJson({
            file: profile.location.path,
            fileExists: profile.fileExists,
            source: profile.location.source,
            root: profile.location.root,
            profile: profile.name,
            ...(part === 'server' ? {} : { client: { ...profile.client, token } }),
            ...(part === 'client' ? {} : { server: profile.server }),
          });
          return;
        }
        ctx.print(describeHeader(ctx, profile));
        if (part !== 'server') ctx.print(describeClient(ctx, profile, token));
        if (part !== 'client' && profile.server !== null)
          ctx.print(describeServer(ctx, profile.server));
      }),
  );

/** `abcd…wxyz`: enough to recognise a token, not enough to use it. */
export function maskToken(token: string | null): string | null {
  if (token === null) return null;
  return token.length <= 8 ? '…' : `${token.slice(0, 4)}…${token.slice(-4)}`;
}

function describeHeader(ctx: CommandContext, profile: LoadedProfile): string {
  const c = ctx.colours;
  const source = {
    option: 'given with -C',
    'env:KETREW_CONFIGURATION': 'from $KETREW_CONFIGURATION',
    'env:KETREW_CONFIG': 'from $KETREW_CONFIG',
    root: 'in $KETREW_ROOT',
  }[profile.location.source];
  return [
    `${c.bold('Configuration')} ${profile.location.path} (${source}${profile.fileExists ? '' : ', does not exist: built-in defaults'})`,
    `${c.bold('Profile')}       ${profile.name}`,
  ].join('\n');
}

function describeClient(ctx: CommandContext, profile: LoadedProfile, token: string | null): string {
  const c = ctx.colours;
  const client = profile.client;
  return [
    c.bold(`Client${profile.clientConfigured ? '' : c.dim(' (not configured: derived)')}`),
    `  url                 ${client.url}`,
    `  token               ${token ?? c.dim('none')}`,
    `  trusted certificate ${client.certificate ?? c.dim('system certificates')}`,
    `  request timeout     ${client.timeoutSeconds} s`,
  ].join('\n');
}

function describeServer(ctx: CommandContext, server: ServerConfiguration): string {
  const c = ctx.colours;
  const yes = (value: boolean): string => (value ? 'yes' : 'no');
  const tls =
    server.tls === null
      ? c.dim('none (http)')
      : 'selfSigned' in server.tls
        ? `self-signed, kept in ${server.tls.directory}`
        : `certificate ${server.tls.certificate}, key ${server.tls.key}`;
  const engine = server.engine;
  return [
    c.bold('Server'),
    `  listen                        ${server.listen.host}:${server.listen.port} (${server.tls === null ? 'http' : 'https'})`,
    `  database                      ${describeDatabase(parseDatabaseUri(server.database, { base: '/' }))}`,
    `  tokens file                   ${server.tokensFile}`,
    `  TLS                           ${tls}`,
    `  read-only                     ${yes(server.readOnly)}`,
    `  return error messages         ${yes(server.returnErrorMessages)}`,
    `  maximum successive attempts   ${engine.maximumSuccessiveAttempts}`,
    `  turn recoverable into failure ${yes(engine.turnRecoverableIntoFailure)}`,
    `  concurrency (local, per host) ${engine.concurrency ?? `number of cores (${availableParallelism()})`}`,
    `  poll interval                 ${engine.pollIntervalMs} ms`,
    `  plugins                       ${server.plugins.length === 0 ? c.dim('none') : server.plugins.join(', ')}`,
    `  pid file                      ${server.pidFile}`,
    `  log file (--daemonize)        ${server.logFile}`,
  ].join('\n');
}
