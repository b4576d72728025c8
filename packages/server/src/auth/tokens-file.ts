import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ServerError } from '../errors.js';
import { SCOPES } from './scopes.js';
import { isTokenHash } from './token-hash.js';

const TokenRecordSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._@+-]{1,100}$/, 'may contain only letters, digits and . _ @ + -'),
  scopes: z.array(z.enum(SCOPES)).min(1),
  hash: z.string().refine(isTokenHash, 'must be sha256$<salt>$<digest> (base64url)'),
  createdAt: z.iso.datetime(),
  comment: z.string().default(''),
});

export const TokensFileSchema = z.strictObject({
  version: z.literal(1),
  tokens: z.array(TokenRecordSchema),
});

/** One token as stored: its name, scopes and salted hash, never the token itself. */
export type TokenRecord = z.output<typeof TokenRecordSchema>;
export type TokensFile = z.output<typeof TokensFileSchema>;

export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9._@+-]{1,100}$/;

/**
 * Read and check a tokens file. A missing file reads as no tokens. Throws
 * `ServerError('invalid-tokens-file')` naming the file and the offending field.
 */
export async function readTokensFile(path: string): Promise<TokensFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isNotFound(error)) return { version: 1, tokens: [] };
    throw error;
  }
  return parseTokensFile(path, text);
}

export function parseTokensFile(path: string, text: string): TokensFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ServerError('invalid-tokens-file', `${path} is not valid JSON`, {
      cause: error,
      details: { path },
    });
  }
  const parsed = TokensFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? '' : issue.path.map(String).join('.');
    throw new ServerError(
      'invalid-tokens-file',
      `${path}: ${field === '' ? '' : `${field}: `}${issue?.message ?? 'invalid'}`,
      { details: { path, field } },
    );
  }
  const names = new Set<string>();
  for (const token of parsed.data.tokens) {
    if (names.has(token.name)) {
      throw new ServerError('invalid-tokens-file', `${path}: token name "${token.name}" repeats`, {
        details: { path, field: 'tokens' },
      });
    }
    names.add(token.name);
  }
  return parsed.data;
}

/**
 * Replace the tokens file atomically (write a temporary file, then rename), readable by its
 * owner only (mode 0600). Creates the directory if needed.
 */
export async function writeTokensFile(path: string, file: TokensFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
