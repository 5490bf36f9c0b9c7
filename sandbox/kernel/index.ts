// The one small HTTP kernel every local stand-in is built on (S3, Athena, Databricks). It owns the
// parts that are the same whatever the protocol, so each stand-in only says what its service says:
//
//   server.ts  listen on loopback, track sockets, answer every request exactly once: a handler
//              returns a Reply (or throws), the stand-in's `errorReply` renders anything thrown in
//              its protocol's shape (S3 XML, Athena JSON 1.1 `__type`, Databricks `{error_code,
//              message}`); nothing a client sends can raise an unhandled 'error' event.
//   router.ts  METHOD + exact path, and METHOD + path prefix, routes. A stand-in adds a family of
//              routes from one module (`router.family(...)`); two families claiming one route is an
//              error at start, never a silent override.
//   body.ts    request bodies with a size limit, JSON objects, forms, multipart/form-data (busboy).
//   admin.ts   `/__admin/<name>` on the stand-in's own port: JSON in and out, and every call needs
//              `Authorization: Bearer <admin token>` (the Databricks PAT; a per-start random token
//              for S3 and Athena). Admin calls are never counted, faulted or delayed.
//   faults.ts  a seeded fault injector on every stand-in (/__admin/seeded-faults): latency, 429,
//              500, 503, resets before and during an answer, truncated bodies, a proxy's HTML page.
//   child.ts   a stand-in in a child process: its ready line, the tail of its stderr, and a loud
//              report when it exits without being asked to.
//   reply.ts / errors.ts  the Reply a handler returns, and the HttpError protocols extend.
export * from './admin';
export * from './body';
export * from './child';
export * from './errors';
export * from './faults';
export * from './reply';
export * from './router';
export * from './server';
