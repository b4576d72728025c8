import { execFile } from 'node:child_process';
import { access, chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Make sure `directory` holds a self-signed certificate and its key (`self-signed-cert.pem`,
 * `self-signed-key.pem`), generating them with `openssl` if either is missing: RSA 2048, valid
 * ten years, for `localhost` and `127.0.0.1` (plus `hostnames`). Node has no pure-JS way to
 * create an X.509 certificate, hence the `openssl` command; it must be on the PATH.
 */
export async function ensureSelfSignedCertificate(
  directory: string,
  options: { readonly hostnames?: readonly string[] | undefined } = {},
): Promise<{ readonly certificate: string; readonly key: string }> {
  const certificate = join(directory, 'self-signed-cert.pem');
  const key = join(directory, 'self-signed-key.pem');
  if ((await exists(certificate)) && (await exists(key))) return { certificate, key };
  await mkdir(directory, { recursive: true });
  const names = [
    'DNS:localhost',
    'IP:127.0.0.1',
    'IP:::1',
    ...(options.hostnames ?? []).map((h) => `DNS:${h}`),
  ];
  try {
    await run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-sha256',
        '-days',
        '3650',
        '-subj',
        '/CN=localhost/O=Ketrew self-signed',
        '-addext',
        `subjectAltName=${names.join(',')}`,
        '-keyout',
        key,
        '-out',
        certificate,
      ],
      { timeout: 60_000 },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `could not generate a self-signed certificate in ${directory} with openssl: ${reason}`,
      {
        cause: error,
      },
    );
  }
  await chmod(key, 0o600);
  return { certificate, key };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
