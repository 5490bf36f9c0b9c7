// `/__admin/<name>` routes on a stand-in's own port, for tests and tools in other processes: JSON
// in and out, and every call needs `Authorization: Bearer <token>` (the stand-in's token). They are
// answered before the protocol's own pipeline, so they are never counted, faulted or delayed.
import crypto from 'node:crypto';
import type http from 'node:http';
import { parseJson, readBody } from './body';
import { HttpError } from './errors';
import { json, Reply } from './reply';
import { Router } from './router';

export const ADMIN_PREFIX = '/__admin';

export type AdminHandler = (body: unknown, req: http.IncomingMessage) => unknown | Promise<unknown>;

/** A fresh admin token for a stand-in that has no token of its own. */
export function newAdminToken(prefix = 'ferry-admin-'): string {
  return `${prefix}${crypto.randomBytes(24).toString('base64url')}`;
}

export class AdminRoutes {
  private readonly router = new Router<AdminHandler>();

  constructor(private readonly token: string) {
    if (!token) throw new Error('admin routes need a token');
  }

  /** `key` is "METHOD /name" (under /__admin). */
  add(key: string, handler: AdminHandler): this {
    const [method, name] = key.split(' ');
    this.router.add(`${method} ${ADMIN_PREFIX}${name}`, handler);
    return this;
  }

  static matches(pathname: string): boolean {
    return pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`);
  }

  authorized(req: http.IncomingMessage): boolean {
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    if (!m) return false;
    const given = Buffer.from(m[1]);
    const want = Buffer.from(this.token);
    return given.length === want.length && crypto.timingSafeEqual(given, want);
  }

  async handle(req: http.IncomingMessage, pathname: string): Promise<Reply> {
    const method = req.method ?? 'GET';
    if (!this.authorized(req)) {
      req.resume();
      return json(
        401,
        { error: 'Admin routes need the stand-in token: send "Authorization: Bearer <token>".' },
        { 'WWW-Authenticate': 'Bearer realm="stand-in admin"' },
      );
    }
    const match = this.router.find(method, pathname);
    if (!match) {
      req.resume();
      return json(404, { error: `no admin route ${method} ${pathname}` });
    }
    try {
      const body = parseJson(await readBody(req, 8 * 1024 * 1024), undefined);
      return json(200, (await match.handler(body, req)) ?? {});
    } catch (err) {
      return json(err instanceof HttpError ? err.status : 400, { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
