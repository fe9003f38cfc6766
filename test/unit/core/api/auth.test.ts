import { describe, expect, it } from 'vitest';

import { isAllowedHost, isAllowedOrigin, isValidToken, readBearer } from '../../../../src/main/core/api/auth';

const token = 'a'.repeat(64);

describe('isValidToken', () => {
  it('accepts the exact token', () => {
    expect(isValidToken(token, token)).toBe(true);
  });

  it('rejects a missing token', () => {
    expect(isValidToken(undefined, token)).toBe(false);
    expect(isValidToken('', token)).toBe(false);
  });

  it('rejects a wrong token of the same length', () => {
    expect(isValidToken('b'.repeat(64), token)).toBe(false);
  });

  it('rejects a prefix or an extension of the token', () => {
    expect(isValidToken(token.slice(0, 63), token)).toBe(false);
    expect(isValidToken(`${token}a`, token)).toBe(false);
  });
});

describe('readBearer', () => {
  it('reads the token of a Bearer header', () => {
    expect(readBearer(`Bearer ${token}`)).toBe(token);
    expect(readBearer(`bearer ${token}`)).toBe(token);
  });

  it('ignores other schemes and empty headers', () => {
    expect(readBearer(`Basic ${token}`)).toBeUndefined();
    expect(readBearer('Bearer')).toBeUndefined();
    expect(readBearer(undefined)).toBeUndefined();
  });
});

describe('isAllowedHost', () => {
  it('accepts 127.0.0.1 and localhost with the bound port', () => {
    expect(isAllowedHost('127.0.0.1:5180', 5180)).toBe(true);
    expect(isAllowedHost('localhost:5180', 5180)).toBe(true);
    expect(isAllowedHost('LOCALHOST:5180', 5180)).toBe(true);
  });

  it('rejects rebound names, other ports and a missing header', () => {
    expect(isAllowedHost('evil.example:5180', 5180)).toBe(false);
    expect(isAllowedHost('127.0.0.1:80', 5180)).toBe(false);
    expect(isAllowedHost('127.0.0.1', 5180)).toBe(false);
    expect(isAllowedHost('127.0.0.1.evil.example:5180', 5180)).toBe(false);
    expect(isAllowedHost(undefined, 5180)).toBe(false);
  });
});

describe('isAllowedOrigin', () => {
  it('accepts requests without Origin and same-origin pages', () => {
    expect(isAllowedOrigin(undefined, undefined, 5180)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:5180', 'same-origin', 5180)).toBe(true);
    expect(isAllowedOrigin('http://localhost:5180', undefined, 5180)).toBe(true);
  });

  it('rejects other origins and cross-site fetches', () => {
    expect(isAllowedOrigin('https://evil.example', undefined, 5180)).toBe(false);
    expect(isAllowedOrigin('null', undefined, 5180)).toBe(false);
    expect(isAllowedOrigin(undefined, 'cross-site', 5180)).toBe(false);
  });
});
