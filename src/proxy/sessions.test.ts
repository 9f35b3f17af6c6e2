import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sessionCookie, sessionValues, withoutSessionCookie } from './sessions.js';

describe('Studio session cookies', () => {
  it('are HttpOnly, SameSite=Lax and scoped to the domain\'s path', () => {
    expect(sessionCookie('v', 'd-abc', 1800)).toBe('clary_studio_session=v; Path=/studio/d-abc/; Max-Age=1800; HttpOnly; SameSite=Lax');
  });

  it('are read from the Cookie header and never passed on to Jupyter', () => {
    const req = { headers: { cookie: '_xsrf=1; clary_studio_session=abc; clary_studio_session=def; username-x=2' } } as unknown as IncomingMessage;
    expect(sessionValues(req)).toEqual(['abc', 'def']);
    expect(withoutSessionCookie(req.headers.cookie)).toBe('_xsrf=1; username-x=2');
    expect(withoutSessionCookie('clary_studio_session=abc')).toBeUndefined();
  });
});
