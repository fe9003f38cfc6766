import crypto from 'node:crypto';

/** Compares a presented bearer token with the hub's in constant time. */
export function isValidToken(presented: string | undefined, token: string): boolean {
  if (!presented) return false;

  const expected = Buffer.from(token);
  const actual = Buffer.from(presented);
  // timingSafeEqual needs equal lengths; compare against itself to spend the same time.
  if (actual.length !== expected.length) {
    crypto.timingSafeEqual(expected, expected);

    return false;
  }

  return crypto.timingSafeEqual(actual, expected);
}

/** Reads the token of an `Authorization: Bearer <token>` header; undefined for other headers. */
export function readBearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');

  return match?.[1];
}

/**
 * Accepts only `127.0.0.1:PORT` and `localhost:PORT` as the Host header, so a web
 * page whose DNS name was rebound to 127.0.0.1 cannot reach the API.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;

  const normalized = host.toLowerCase();

  return normalized === `127.0.0.1:${port}` || normalized === `localhost:${port}`;
}

/**
 * Rejects browser requests sent from another origin. Requests without an
 * `Origin` header (curl, the Python SDK, MLflow's client) pass; so do pages
 * served by this hub.
 */
export function isAllowedOrigin(origin: string | undefined, fetchSite: string | undefined, port: number): boolean {
  if (fetchSite === 'cross-site') return false;
  if (origin === undefined) return true;

  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}
