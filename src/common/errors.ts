import { GraphQLError } from 'graphql';

/** The one set of error codes the API returns in `extensions.code` (see the contract header). */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  INVALID_TRANSITION = 'INVALID_TRANSITION',
  RATE_LIMITED = 'RATE_LIMITED',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** A dependency (database, Redis) is down; retry after `retryAfterSeconds`. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

/**
 * The HTTP status of a response whose operation was refused as a whole, before execution, by an
 * error of this code (see httpStatusPlugin). An error inside an otherwise-executed response
 * answers 200, except SERVICE_UNAVAILABLE and RATE_LIMITED, which carry their status themselves.
 */
export const HTTP_STATUS_OF: Partial<Record<string, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

/** Input path ("input.products.2.sku") -> messages about the value at that path. */
export type FieldErrors = Record<string, string[]>;

/** The one error class services throw; everything else is masked as INTERNAL_SERVER_ERROR. */
export class AppError extends GraphQLError {
  constructor(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extensions } });
  }

  static notFound(typeName: string, field?: string): AppError {
    const message = `${typeName} not found`;
    return new AppError(ErrorCode.NOT_FOUND, message, field ? { fields: { [field]: [message] } } : {});
  }

  static badInput(fields: FieldErrors, message = 'Invalid input'): AppError {
    return new AppError(ErrorCode.BAD_USER_INPUT, message, { fields });
  }

  /** One bad field: the common case. */
  static badField(path: string, message: string): AppError {
    return AppError.badInput({ [path]: [message] }, `${path}: ${message}`);
  }

  static conflict(message: string, fields?: FieldErrors): AppError {
    return new AppError(ErrorCode.CONFLICT, message, fields ? { fields } : {});
  }

  /**
   * The error with an HTTP status (and headers) for Apollo to answer with: `extensions.http`,
   * which Apollo reads and formatError keeps out of the body. With retryAfterSeconds it also
   * sets Retry-After and `extensions.retryAfterSeconds`.
   */
  withHttpStatus(status: number, retryAfterSeconds?: number): this {
    const headers = new Map<string, string>();
    if (retryAfterSeconds !== undefined) {
      headers.set('retry-after', String(retryAfterSeconds));
      this.extensions.retryAfterSeconds = retryAfterSeconds;
    }
    this.extensions.http = { status, headers };
    return this;
  }

  /** A dependency is down: HTTP 503 with Retry-After, whether thrown before or during execution. */
  static serviceUnavailable(message: string, retryAfterSeconds: number): AppError {
    return new AppError(ErrorCode.SERVICE_UNAVAILABLE, message).withHttpStatus(503, retryAfterSeconds);
  }

  static unauthenticated(message = 'Sign in first: send Authorization: Bearer <token>'): AppError {
    return new AppError(ErrorCode.UNAUTHENTICATED, message);
  }
}

/**
 * Collects field errors so a service reports every problem of an input at once: class-validator's
 * (see validateInput), ids that do not decode, and its own rules. One message per path: the
 * first problem of a value is the one to fix, and a second would often follow from it.
 */
export class FieldErrorCollector {
  readonly fields: FieldErrors = {};

  constructor(fields: FieldErrors = {}) {
    for (const [path, messages] of Object.entries(fields)) if (messages.length) this.add(path, messages[0]);
  }

  add(path: string, message: string): void {
    this.fields[path] ??= [message];
  }

  /** Whether a problem is already known at this path (a later rule need not look again). */
  has(path: string): boolean {
    return path in this.fields;
  }

  /** Runs `work`; a BAD_USER_INPUT it throws (an id that does not decode) is collected instead. */
  attempt<T>(work: () => T): T | undefined {
    try {
      return work();
    } catch (error) {
      const fields = error instanceof AppError && error.extensions.code === ErrorCode.BAD_USER_INPUT ? error.extensions.fields : undefined;
      if (!fields || typeof fields !== 'object') throw error;
      for (const [path, messages] of Object.entries(fields as FieldErrors)) this.add(path, messages[0]);
      return undefined;
    }
  }

  get empty(): boolean {
    return Object.keys(this.fields).length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw AppError.badInput(this.fields, summarize(this.fields));
  }
}

/** "input.name: must not be blank (and 2 more problems)": the first problem, and how many follow. */
export function summarize(fields: FieldErrors): string {
  const entries = Object.entries(fields);
  const [path, messages] = entries[0];
  const more = entries.length - 1;
  return `${path}: ${messages[0]}${more ? ` (and ${more} more problem${more > 1 ? 's' : ''}; see extensions.fields)` : ''}`;
}
