import type { Context } from 'hono';
import type { z } from 'zod';
import { ServerError } from '../errors.js';

/**
 * Parse a route's query string with its schema: the first value of each parameter, the auth
 * parameter `token` left out. Unknown parameters and bad values → 400 `invalid-request` naming
 * the parameter.
 */
export function parseQuery<T extends z.ZodType>(c: Context, schema: T): z.output<T> {
  const values: Record<string, string> = {};
  for (const [key, all] of Object.entries(c.req.queries())) {
    const first = all[0];
    if (key !== 'token' && first !== undefined) values[key] = first;
  }
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  throw invalidInput(parsed.error, 'query parameter');
}

/** Parse a JSON body with its schema: 400 `invalid-json`, or `invalid-request` naming the field. */
export async function parseJsonBody<T extends z.ZodType>(
  c: Context,
  schema: T,
): Promise<z.output<T>> {
  const json = await readJson(c);
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw invalidInput(parsed.error, 'field');
}

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ServerError(
      'invalid-json',
      `the request body is not valid JSON: ${messageOf(error)}`,
    );
  }
}

/** Every value of a repeatable parameter, comma-separated lists split. */
export function listParameter(c: Context, name: string, split: boolean): readonly string[] {
  const values = c.req.queries(name) ?? [];
  return split
    ? values
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter((v) => v !== '')
    : values;
}

export function integerParameter(
  value: string | undefined,
  name: string,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < min || number > max) {
    throw new ServerError('invalid-request', `${name} must be an integer from ${min} to ${max}`, {
      details: { field: name },
    });
  }
  return number;
}

function invalidInput(error: z.ZodError, what: string): ServerError {
  const issues = error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || keysOf(issue),
    message: issue.message,
  }));
  const first = issues[0];
  return new ServerError(
    'invalid-request',
    first === undefined ? 'invalid request' : `${what} ${first.field}: ${first.message}`,
    { details: { issues } },
  );
}

function keysOf(issue: z.core.$ZodIssue): string {
  return issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
