/**
 * @fileoverview The pure parts of the dashboard's guards: Host header parsing for the
 * allow-list, and the return path after sign-in, which must never lead to another origin.
 */

import { clearedSessionCookie, localPath, sessionCookie } from '@ipt/auth';
import { describe, expect, it } from 'vitest';
import { hostnameOf } from './guards.js';

describe('hostnameOf', () => {
  it.each([
    ['localhost:3000', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['IPT.Example.org:443', 'ipt.example.org'],
    ['[::1]:3000', '[::1]'],
  ])('reads %s as %s', (header, host) => {
    expect(hostnameOf(header)).toBe(host);
  });

  it.each([undefined, '', 'a b', 'evil.example@good', 'x'.repeat(300), 'host:port'])(
    'refuses %s',
    (header) => {
      expect(hostnameOf(header)).toBeNull();
    },
  );
});

describe('localPath', () => {
  it.each(['/', '/compare?groupBy=medication', '/audit?level=therapist&clinic=a-01'])(
    'keeps the local path %s',
    (path) => {
      expect(localPath(path)).toBe(path);
    },
  );

  it.each(['//evil.example', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', 42])(
    'turns %s into /',
    (path) => {
      expect(localPath(path)).toBe('/');
    },
  );
});

describe('the session cookie', () => {
  const req = (secure: boolean) => ({ secure }) as Parameters<typeof sessionCookie>[0];

  it('is HttpOnly, SameSite=Strict and site-wide, and Secure only over https', () => {
    const plain = sessionCookie(req(false), 'abc', 3600);
    expect(plain).toBe('ipt_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600');
    expect(sessionCookie(req(true), 'abc', 3600)).toBe(`${plain}; Secure`);
  });

  it('is cleared at sign-out with the same attributes', () => {
    expect(clearedSessionCookie(req(true))).toBe(
      'ipt_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure',
    );
  });
});
