import type { MiddlewareHandler } from 'hono';
import { ServerError } from '../errors.js';
import type { AppEnv, ServerContext } from '../server-context.js';
import { grants, type Scope } from './scopes.js';

/**
 * Authenticate every request: `Authorization: Bearer <token>`, or `?token=<token>` (dashboard
 * URLs and EventSource, which cannot set headers). Missing or unknown token → 401 with
 * `WWW-Authenticate: Bearer`. Every token may read.
 */
export function authenticate(context: ServerContext): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    let token: string | undefined;
    if (header !== undefined) {
      const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
      if (match === null) {
        throw unauthorized('the Authorization header must be "Bearer <token>"');
      }
      token = match[1];
    } else {
      token = c.req.query('token');
    }
    if (token === undefined || token === '') {
      throw unauthorized('missing token: send "Authorization: Bearer <token>" or ?token=<token>');
    }
    const identity = await context.auth.authenticate(token);
    if (identity === null) throw unauthorized('unknown token');
    c.set('identity', identity);
    await next();
  };
}

/**
 * Let only tokens with `scope` through (403 `forbidden`); with `changesState`, refuse everyone
 * in read-only mode (403 `read-only`).
 */
export function requireScope(
  context: ServerContext,
  scope: Scope,
  options: { readonly changesState: boolean },
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (options.changesState && context.config.readOnly) {
      throw new ServerError(
        'read-only',
        'this server is read-only: submit, kill and restart are refused',
      );
    }
    const identity = c.get('identity');
    if (!grants(identity.scopes, scope)) {
      throw new ServerError(
        'forbidden',
        `token "${identity.name}" lacks the "${scope}" scope (it has: ${identity.scopes.join(', ')})`,
        { details: { required: scope, scopes: identity.scopes } },
      );
    }
    await next();
  };
}

function unauthorized(message: string): ServerError {
  return new ServerError('unauthorized', message);
}
