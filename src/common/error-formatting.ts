import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLFormattedError } from 'graphql';
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

/**
 * Shapes every error into the contract's form: `extensions.code` from the one ErrorCode set,
 * field paths for bad input, and nothing of an unexpected error but its code (it is logged,
 * with the request id, where it is caught).
 */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof AppError) {
    // `http` (status, headers) is for Apollo, not for the response body.
    const { http: _http, ...extensions } = original.extensions;
    return { ...formatted, extensions };
  }
  if (isUniqueViolation(original)) {
    return { message: 'That conflicts with an existing record', path: formatted.path, extensions: { code: ErrorCode.CONFLICT } };
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

/** True when formatError will mask this error: it must be logged with the request id. */
export function isUnexpected(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof AppError || isUniqueViolation(original)) return false;
  const code = (original as { extensions?: { code?: string } })?.extensions?.code;
  return !(code && (CODES.has(code) || REQUEST_ERROR_CODES.has(code)) && code !== ErrorCode.INTERNAL_SERVER_ERROR);
}
