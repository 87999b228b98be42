import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { AppError, ErrorCode } from './errors';
import { QUERY_LIMITS } from './limits';
import { isUniqueViolation } from './sql';

/** Apollo's own codes for a request that is wrong before any resolver runs. */
const REQUEST_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

const CODES = new Set<string>(Object.values(ErrorCode));

/** PostgreSQL codes of a session that ended or could not start: the request may simply be retried. */
const CONNECTION_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
const CONNECTION_MESSAGES =
  /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error|Client was closed|Connection closed)|is not currently accepting connections/;
/** Waiting for a pooled connection timed out: the pool is busy, not broken. */
const POOL_TIMEOUT = /^(timeout exceeded when trying to connect|Connection terminated due to connection timeout)/;

/**
 * Whether `error` (or what it wraps: TypeORM's driverError, a cause) says the database
 * connection was lost, refused, or not handed out in time — a 503 the caller may retry, not a
 * bug. Returns the seconds to suggest in Retry-After, or null for any other error.
 */
export function connectionFailureRetryAfter(error: unknown): number | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof message === 'string' && POOL_TIMEOUT.test(message)) return 1;
    if (typeof code === 'string' && (CONNECTION_SQLSTATES.has(code) || /^08...$/.test(code))) return code === '57P03' || code === '08001' || code === '08004' ? 5 : 1;
    if (typeof code === 'string' && CONNECTION_ERRNOS.has(code)) return code === 'ECONNRESET' || code === 'EPIPE' ? 1 : 5;
    if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return 1;
    const next = current as { driverError?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
    // AggregateError: connecting to every address of a host failed.
    current = next.driverError ?? next.originalError ?? next.cause ?? (Array.isArray(next.errors) ? next.errors[0] : undefined);
  }
  return null;
}

/** The 503 a lost or busy database connection answers with. */
export function databaseUnavailable(retryAfterSeconds: number): AppError {
  return AppError.serviceUnavailable('The database is unavailable or busy; retry shortly', retryAfterSeconds);
}

/**
 * Shapes every error into the contract's form: `extensions.code` from the one ErrorCode set,
 * field paths for bad input, and nothing of an unexpected error but its code (it is logged,
 * with the request id, where it is caught).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  let original = unwrapResolverError(error);
  // A validation rule's own AppError (RepeatedSelectionsRule), which Apollo wraps as a validation error.
  if (original instanceof GraphQLError && original.originalError instanceof AppError) original = original.originalError;
  if (original instanceof AppError) {
    // `http` (status, headers) is for Apollo, not for the response body.
    const { http: _http, ...extensions } = original.extensions;
    return { ...formatted, extensions };
  }
  if (isUniqueViolation(original)) {
    return { message: 'That conflicts with an existing record', path: formatted.path, extensions: { code: ErrorCode.CONFLICT } };
  }
  const retryAfterSeconds = connectionFailureRetryAfter(original);
  if (retryAfterSeconds !== null) {
    // The HTTP status and Retry-After header were set on the error by markConnectionFailures.
    const { message, extensions } = databaseUnavailable(retryAfterSeconds);
    const { http: _http, ...rest } = extensions;
    return { message, locations: formatted.locations, path: formatted.path, extensions: rest };
  }
  const code = formatted.extensions?.code as string | undefined;
  if (code && CODES.has(code) && code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    // Variable coercion errors get their argument paths in inputErrorsPlugin, which sees the document.
    return { ...formatted, extensions: { ...formatted.extensions, fields: formatted.extensions?.fields ?? {} } };
  }
  if (code === 'GRAPHQL_PARSE_FAILED' && /contains more th(?:an|at) \d+ tokens/.test(formatted.message)) {
    return { ...formatted, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: QUERY_LIMITS.maxTokens } };
  }
  if (code && REQUEST_ERROR_CODES.has(code)) {
    // The request itself is wrong (syntax, unknown field, bad literal): the caller's to fix.
    return { ...formatted, extensions: { code: ErrorCode.BAD_USER_INPUT, reason: code, fields: {} } };
  }
  return {
    message: 'Internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
  };
}

/**
 * Gives the errors that formatError turns into SERVICE_UNAVAILABLE their HTTP status and
 * Retry-After (Apollo reads `extensions.http` of the errors before formatting them). Called from
 * didEncounterErrors, which sees the same error objects Apollo then formats.
 */
export function markConnectionFailures(errors: readonly GraphQLError[]): void {
  for (const error of errors) {
    const retryAfterSeconds = connectionFailureRetryAfter(unwrapResolverError(error));
    if (retryAfterSeconds === null) continue;
    (error.extensions as Record<string, unknown>).http = databaseUnavailable(retryAfterSeconds).extensions.http;
  }
}

/** True when formatError will mask this error: it must be logged with the request id. */
export function isUnexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof AppError || isUniqueViolation(original) || connectionFailureRetryAfter(original) !== null) return false;
  const code = (original as { extensions?: { code?: string } })?.extensions?.code;
  return !(code && (CODES.has(code) || REQUEST_ERROR_CODES.has(code)) && code !== ErrorCode.INTERNAL_SERVER_ERROR);
}
