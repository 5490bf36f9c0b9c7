// Routes by METHOD and exact path, then by METHOD and longest path prefix. Families of routes are
// added from their own modules; a route claimed twice throws at start.
export interface Match<H> {
  handler: H;
  /** For a prefix route: the path after the prefix (starts with '/'). */
  rest?: string;
}

export class Router<H> {
  private readonly exact = new Map<string, H>();
  private readonly prefixes: Array<{ method: string; prefix: string; handler: H }> = [];

  /** `key` is "METHOD /path"; more than one method may share a handler: "GET|HEAD /path". */
  add(key: string, handler: H): this {
    const [methods, path] = split(key);
    for (const method of methods) {
      const k = `${method} ${path}`;
      if (this.exact.has(k)) throw new Error(`route ${k} is claimed twice`);
      this.exact.set(k, handler);
    }
    return this;
  }

  /** Every request whose path starts with `prefix` + '/'; the handler gets the rest. */
  prefix(key: string, handler: H): this {
    const [methods, prefix] = split(key);
    for (const method of methods) {
      if (this.prefixes.some((p) => p.method === method && p.prefix === prefix)) throw new Error(`prefix route ${method} ${prefix} is claimed twice`);
      this.prefixes.push({ method, prefix, handler });
    }
    this.prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /** Adds a family: an object of "METHOD /path" → handler. */
  family(routes: Record<string, H>): this {
    for (const [key, handler] of Object.entries(routes)) this.add(key, handler);
    return this;
  }

  find(method: string, path: string): Match<H> | undefined {
    const h = this.exact.get(`${method} ${path}`);
    if (h) return { handler: h };
    for (const p of this.prefixes) {
      if (p.method === method && path.startsWith(`${p.prefix}/`)) return { handler: p.handler, rest: path.slice(p.prefix.length) };
    }
    return undefined;
  }

  /** Every "METHOD /path" (prefix routes end in '/…'), for listings and tests. */
  keys(): string[] {
    return [...this.exact.keys(), ...this.prefixes.map((p) => `${p.method} ${p.prefix}/…`)];
  }
}

function split(key: string): [string[], string] {
  const m = /^([A-Z|]+) (\/\S*)$/.exec(key);
  if (!m) throw new Error(`route key "${key}" is not "METHOD /path"`);
  return [m[1].split('|'), m[2]];
}
