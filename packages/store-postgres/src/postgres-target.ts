/** Where a PostgreSQL store connects: what error messages name (never the password). */
export interface PostgresTarget {
  readonly host: string;
  readonly port: number;
  readonly database: string;
}

interface ConnectionFields {
  readonly host?: string | undefined;
  readonly port?: number | string | undefined;
  readonly database?: string | undefined;
  readonly user?: string | undefined;
  readonly connectionString?: string | undefined;
}

/**
 * The host, port and database a connection string (or `pg` pool options) designates, with the
 * defaults `pg` applies: the PG* environment variables, then localhost:5432 and the user name.
 */
export function postgresTarget(fields: ConnectionFields): PostgresTarget {
  const fromUrl = fields.connectionString === undefined ? {} : parseUrl(fields.connectionString);
  const env = process.env;
  const host = fields.host ?? fromUrl.host ?? env['PGHOST'] ?? 'localhost';
  const port = Number(fields.port ?? fromUrl.port ?? env['PGPORT'] ?? 5432);
  const user = fields.user ?? fromUrl.user ?? env['PGUSER'] ?? env['USER'] ?? 'postgres';
  const database = fields.database ?? fromUrl.database ?? env['PGDATABASE'] ?? user;
  return { host, port, database };
}

/** `PostgreSQL database "ketrew" at db.example.org:5432`. */
export function describeTarget(target: PostgresTarget): string {
  return `PostgreSQL database "${target.database}" at ${target.host}:${target.port}`;
}

function parseUrl(
  connectionString: string,
): Partial<Record<'host' | 'port' | 'database' | 'user', string>> {
  try {
    const url = new URL(connectionString);
    const fields: Partial<Record<'host' | 'port' | 'database' | 'user', string>> = {};
    const host = url.searchParams.get('host') ?? decodeURIComponent(url.hostname);
    if (host !== '') fields.host = host;
    if (url.port !== '') fields.port = url.port;
    const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
    if (database !== '') fields.database = database;
    if (url.username !== '') fields.user = decodeURIComponent(url.username);
    return fields;
  } catch {
    return {};
  }
}
