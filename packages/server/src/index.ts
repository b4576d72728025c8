export { createServer, type CreateServerOptions, type KetrewServer } from './create-server.js';
export type { RunningServer } from './listen/node-listener.js';
export {
  resolveServerConfig,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ServerConfig,
  type ResolvedServerConfig,
  type TlsConfig,
} from './server-config.js';
export type { EngineHandle, SubmissionResult } from './engine-handle.js';
export { ServerError, SERVER_ERROR_CODES, STATUS_OF_CODE, toErrorResponse } from './errors.js';
export type { ServerErrorCode, ErrorBody } from './errors.js';
export { SERVER_VERSION } from './version.js';

export type { Authenticator, TokenIdentity } from './auth/authenticator.js';
export { SCOPES, grants, type Scope } from './auth/scopes.js';
export { createMemoryAuthenticator } from './auth/memory-authenticator.js';
export {
  createTokenFileAuthenticator,
  type TokenFileAuthenticatorOptions,
} from './auth/token-file-authenticator.js';
export {
  createToken,
  listTokens,
  revokeToken,
  DEFAULT_TOKEN_SCOPES,
  type CreateTokenOptions,
  type TokenInfo,
} from './auth/token-admin.js';
export { readTokensFile, type TokensFile, type TokenRecord } from './auth/tokens-file.js';
export { generateToken } from './auth/token-hash.js';
export { ensureSelfSignedCertificate } from './listen/self-signed-certificate.js';

export { parseFilter } from './filter/filter-parser.js';
export { toFilterExpression, FILTER_PREDICATES } from './filter/filter-meaning.js';
export { FilterError, type SExpression } from './filter/filter-syntax.js';
export type { FilterExpression } from './filter/filter-expression.js';
export { compileFilter } from './filter/filter-compile.js';
export { matchesFilter } from './filter/filter-match.js';
export type { Notification } from './events/notification-log.js';
export { openApiDocument } from './api/openapi-document.js';
export {
  decideEngineRole,
  hasEngineLock,
  waitForEngineLock,
  type EngineLockCapability,
} from './engine-leadership.js';
