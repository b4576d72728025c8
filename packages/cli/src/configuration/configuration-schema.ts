import { z } from 'zod';

/** The port of the original, kept: `ketrew init` and the server default to it. */
export const DEFAULT_PORT = 8756;

/**
 * The client part of a profile: how commands such as `status`, `submit` or `list` reach a server.
 */
export const ClientConfigurationSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .default(`http://127.0.0.1:${DEFAULT_PORT}`)
      .describe('Base URL of the server (the API is under /api/v1).'),
    token: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe('Bearer token sent to the server; null sends none.'),
    certificate: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        "PEM certificate to trust for an https URL (e.g. the server's self-signed one); relative to the configuration file.",
      ),
    timeoutSeconds: z
      .number()
      .positive()
      .default(30)
      .describe('Give up on a request that gets no answer for this long.'),
  })
  .describe('How the command line reaches a server.');

export const TlsConfigurationSchema = z
  .union([
    z
      .strictObject({
        certificate: z.string().min(1).describe('PEM certificate file.'),
        key: z.string().min(1).describe('PEM private key file.'),
      })
      .describe('Serve https with this certificate and key (relative to the configuration file).'),
    z
      .strictObject({
        selfSigned: z.literal(true).describe('Serve https with a self-signed certificate.'),
        directory: z
          .string()
          .min(1)
          .default('tls')
          .describe(
            'Where the certificate (self-signed-cert.pem) and key are generated on first start and kept.',
          ),
      })
      .describe('Serve https with a self-signed certificate generated with openssl.'),
  ])
  .describe('How to serve https.');

export const EngineConfigurationSchema = z
  .strictObject({
    maximumSuccessiveAttempts: z
      .number()
      .int()
      .min(1)
      .default(10)
      .describe('Recoverable errors in a row (SSH timeout, …) before a node fails.'),
    turnRecoverableIntoFailure: z
      .boolean()
      .default(false)
      .describe('Fail at the first recoverable error instead of retrying.'),
    concurrency: z
      .number()
      .int()
      .min(1)
      .nullable()
      .default(null)
      .describe('Jobs running at once per host on the local backend; null = number of cores.'),
    pollIntervalMs: z
      .number()
      .int()
      .min(10)
      .default(1000)
      .describe('How often running jobs are polled (one batched call per backend and host).'),
  })
  .describe('Knobs of the engine.');

export const ServerConfigurationSchema = z
  .strictObject({
    listen: z
      .strictObject({
        host: z.string().min(1).default('127.0.0.1').describe('Address to bind.'),
        port: z.number().int().min(0).max(65535).default(DEFAULT_PORT).describe('TCP port.'),
      })
      .default({ host: '127.0.0.1', port: DEFAULT_PORT })
      .describe('Where the HTTP server listens.'),
    database: z
      .string()
      .min(1)
      .default('ketrew.db')
      .describe(
        'Where the state is kept: a SQLite file path (or sqlite:PATH), or postgresql://user@host/db. Relative paths are relative to the configuration file.',
      ),
    tokensFile: z
      .string()
      .min(1)
      .default('tokens.json')
      .describe('File of hashed API tokens, managed with `ketrew token`.'),
    tls: TlsConfigurationSchema.nullable().default(null).describe('null serves plain http.'),
    readOnly: z
      .boolean()
      .default(false)
      .describe('Refuse submit, kill and restart (for a public dashboard).'),
    returnErrorMessages: z
      .boolean()
      .default(false)
      .describe(
        'Include the stack trace (and so the message) of internal errors in error responses, for debugging; refusals always carry their message.',
      ),
    changeRetentionDays: z
      .number()
      .min(0)
      .nullable()
      .default(7)
      .describe(
        'Changes of the live-event feed older than this many days are deleted (hourly, by the server that runs the engine); null keeps them forever. Nodes and their history are never deleted.',
      ),
    engine: EngineConfigurationSchema.default({
      maximumSuccessiveAttempts: 10,
      turnRecoverableIntoFailure: false,
      concurrency: null,
      pollIntervalMs: 1000,
    }),
    plugins: z
      .array(z.string().min(1))
      .default([])
      .describe(
        'Backend plugin packages loaded with import(); each default-exports or exports createBackend(options).',
      ),
    pidFile: z
      .string()
      .min(1)
      .default('ketrew-server.pid')
      .describe(
        'Pid of the running server (start-server writes it, stop-server reads it). Default for a profile other than `default`: ketrew-server-<profile>.pid.',
      ),
    logFile: z
      .string()
      .min(1)
      .default('logs/ketrew-server.log')
      .describe(
        'Log of a server started with `start-server --daemonize`. Default for a profile other than `default`: logs/ketrew-server-<profile>.log.',
      ),
  })
  .describe('How `ketrew start-server` runs.');

/** One profile: a client part, a server part, or both. */
export const ProfileConfigurationSchema = z
  .strictObject({
    extends: z
      .string()
      .min(1)
      .optional()
      .describe('Name of a profile whose keys this one starts from (its own keys win).'),
    client: ClientConfigurationSchema.optional(),
    server: ServerConfigurationSchema.optional(),
  })
  .describe('A named set of settings, chosen with -P/--profile or $KETREW_PROFILE.');

/** The whole `configuration.json`. */
export const ConfigurationFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of this JSON Schema, for editors.'),
    profiles: z
      .record(
        z.string().regex(/^[A-Za-z0-9._-]+$/, 'profile names use letters, digits, . _ -'),
        ProfileConfigurationSchema,
      )
      .describe('Profiles by name; `default` is used when none is chosen.'),
  })
  .describe('Ketrew configuration (configuration.json).');

export type ClientConfiguration = z.output<typeof ClientConfigurationSchema>;
export type ServerConfiguration = z.output<typeof ServerConfigurationSchema>;
export type EngineConfiguration = z.output<typeof EngineConfigurationSchema>;
export type TlsConfiguration = z.output<typeof TlsConfigurationSchema>;
export type ProfileConfiguration = z.output<typeof ProfileConfigurationSchema>;
export type ConfigurationFile = z.output<typeof ConfigurationFileSchema>;
/** What may be written in the file (defaults left out). */
export type ConfigurationFileInput = z.input<typeof ConfigurationFileSchema>;
