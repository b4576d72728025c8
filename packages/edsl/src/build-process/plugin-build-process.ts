import { invalidArgument } from '../errors.js';
import { parseOptions } from '../util/parse-options.js';
import {
  FIRST_PARTY_BACKENDS,
  PLUGIN_BACKEND_NAME_PATTERN,
  PluginBuildProcessSchema,
} from '../wire/build-process-schema.js';
import type { JsonValue } from '../wire/primitive-schemas.js';

/** The parameters of a third-party build process: free JSON (hosts and programs are JSON). */
export type PluginParameters = { readonly [key: string]: JsonValue } & { readonly backend?: never };

/** A third-party backend's build process: `{backend, ...params}`. */
export type PluginBuildProcess<B extends string, P extends PluginParameters> = {
  readonly backend: B;
} & P;

/**
 * The build process of a third-party backend: `{backend, ...params}` on the wire. A backend
 * package wraps it in its own typed constructor; the server runs it only if it has a backend
 * of that name. `backend` is a lowercase name (`kubernetes`, `acme/batch`), not a first-party
 * one; `params` must be JSON (a `Host` or a `Program` is). Throws `invalid-argument` otherwise.
 *
 * @example
 * export function kubernetes(program: Program, options: { image: string; host?: Host }) {
 *   return buildProcess('kubernetes', { program, image: options.image, host: options.host ?? Host.tmpOnLocalhost });
 * }
 */
export function buildProcess<B extends string, P extends PluginParameters>(
  backend: B,
  params: P,
): PluginBuildProcess<B, P> {
  const where = 'buildProcess';
  if ((FIRST_PARTY_BACKENDS as readonly string[]).includes(backend)) {
    invalidArgument(where, `"${backend}" is a first-party backend: use ${constructorOf(backend)}`);
  }
  if (!PLUGIN_BACKEND_NAME_PATTERN.test(backend)) {
    invalidArgument(
      where,
      `bad backend name ${JSON.stringify(backend)} (lowercase, e.g. "kubernetes" or "acme/batch")`,
    );
  }
  const parsed = parseOptions(PluginBuildProcessSchema, { ...params, backend }, where);
  return parsed as PluginBuildProcess<B, P>;
}

function constructorOf(backend: string): string {
  return backend === 'no-operation' ? 'noOperation()' : `${backend}(program, options)`;
}
