// The error every stand-in throws. A protocol extends it with its own fields and renders it in its
// own shape through the server's `errorReply`; the kernel only needs the status and headers.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A request body over the route's limit. */
export class BodyTooLargeError extends HttpError {
  constructor(readonly limit: number) {
    super(413, `Request body is larger than ${limit} bytes`);
  }
}

/** A body that is not what its Content-Type says (bad JSON, a broken multipart). */
export class MalformedBodyError extends HttpError {
  constructor(message: string) {
    super(400, message);
  }
}
