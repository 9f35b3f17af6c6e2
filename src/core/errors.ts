/**
 * Typed errors. Every error a request can produce is a ServiceError; the protocol layer turns it
 * into the wire shape of the service that was called (JSON __type, S3 XML <Error>, query XML).
 * Nothing else in the code writes error bodies.
 */
export class ServiceError extends Error {
  /** Wire error code, e.g. "ValidationException", "NoSuchKey". */
  readonly code: string;
  /** HTTP status. */
  readonly status: number;
  /** Extra members serialised next to the message (S3: BucketName, Key; runtime: OriginalStatusCode …). */
  readonly fields: Readonly<Record<string, string | number | undefined>>;
  /** Extra response headers (e.g. x-amzn-ErrorType is added by the protocol). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    code: string,
    message: string,
    status = 400,
    fields: Record<string, string | number | undefined> = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = status;
    this.fields = fields;
    this.headers = headers;
  }
}

export const isServiceError = (e: unknown): e is ServiceError => e instanceof ServiceError;

/** AWS JSON / query services' generic constraint error. */
export const validationException = (message: string) => new ServiceError('ValidationException', message, 400);

export const accessDenied = (message = 'User is not authorized to perform this action.') =>
  new ServiceError('AccessDeniedException', message, 400);

/** An operation in a service's model that Clary does not implement (yet). */
export const notImplemented = (service: string, operation: string, status = 501) =>
  new ServiceError(
    'NotImplemented',
    `${service} operation ${operation} is not implemented by Clary. See docs/compatibility.md for what is.`,
    status,
  );

/** Anything unexpected: logged with its stack, answered without one. */
export const internalFailure = (requestId: string) =>
  new ServiceError('InternalFailure', `Clary hit an internal error (request ${requestId}); see the server log.`, 500);

/** Store-level conflicts, turned into the service's own duplicate-name error by handlers. */
export class AlreadyExistsError extends Error {
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} ${id} already exists`);
    this.name = 'AlreadyExistsError';
  }
}

/** Optimistic-concurrency failure of a store update. */
export class StaleVersionError extends Error {
  constructor(readonly kind: string, readonly id: string) {
    super(`${kind} ${id} was modified concurrently`);
    this.name = 'StaleVersionError';
  }
}
