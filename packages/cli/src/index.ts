export { runCli, createParser } from './run-cli.js';
export type { CliIo, OutputStream } from './cli-io.js';
export type { CliServices, GlobalArgs } from './command-context.js';
export { EXIT_CODES, CliError, type ExitCodeName } from './errors.js';
export * from './configuration/configuration-schema.js';
export {
  locateConfiguration,
  chooseProfile,
  ketrewRoot,
  type ConfigurationLocation,
  type ConfigurationSource,
} from './configuration/configuration-lookup.js';
export { loadProfile, type LoadedProfile } from './configuration/configuration-loader.js';
export { configurationJsonSchema } from './configuration/configuration-json-schema.js';
export { parseDatabaseUri, type DatabaseLocation } from './configuration/database-uri.js';
export type { ApiClient } from './client/api-types.js';
export { HttpApiClient } from './client/http-api-client.js';
export { CLI_VERSION } from './version.js';
