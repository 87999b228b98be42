import { ApolloServer, HeaderMap } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestContext } from './common/context';
import { ErrorCode } from './common/errors';
import { QUERY_LIMITS } from './common/limits';
import { CallerIdentity, checkRateLimit, rateLimitedBody } from './common/rate-limit-middleware';
import type { RateLimiter } from './common/rate-limit';
import type { TokenClaims } from './common/tokens';

/** What the request log line says about a GraphQL request; filled in by the logging plugin. */
export interface RequestLog {
  operationName?: string | null;
  errorCodes?: string[];
}

/** Largest request body accepted: a 1,000-row ingest batch (~300 KB) fits with room to spare. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;
export const BODY_LIMIT = '2mb';

/** The answers both paths give before Apollo sees a request: status and GraphQL-shaped body. */
export const refusals = {
  bodyTooLarge: () => ({ status: 413, body: { errors: [{ message: `Request body is over the ${BODY_LIMIT} limit`, extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: BODY_LIMIT } }] } }),
  notJson: (status = 400) => ({ status, body: { errors: [{ message: 'Request body is not valid JSON', extensions: { code: ErrorCode.BAD_USER_INPUT } }] } }),
  /**
   * A document longer than QUERY_LIMITS.maxQueryLength is refused before Apollo parses it: parsing
   * and validating cost time in proportion to its size (and more for repeated fields). Null when it fits.
   */
  documentTooLong: (query: unknown) =>
    typeof query !== 'string' || query.length <= QUERY_LIMITS.maxQueryLength
      ? null
      : {
          status: 413,
          body: {
            errors: [
              {
                message: `The query document is ${query.length} characters long; the limit is ${QUERY_LIMITS.maxQueryLength}`,
                extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, limit: QUERY_LIMITS.maxQueryLength, length: query.length },
              },
            ],
          },
        },
};

export interface GraphqlPostOptions {
  apollo: ApolloServer<RequestContext>;
  limiter: RateLimiter;
  identity: CallerIdentity;
  /** The request id and log line (shared with the Express path). */
  beginRequest(req: IncomingMessage, res: ServerResponse): { requestId: string; requestLog: RequestLog };
  /** CORS is configured: a request with an Origin then goes through Express, which answers it. */
  cors: boolean;
  /** The request's context (shared with the Express path). */
  context(args: {
    req: IncomingMessage;
    res: ServerResponse;
    requestId: string;
    requestLog: RequestLog;
    tokenClaims?: TokenClaims | { problem: string };
    address: string | null;
    /** May act for a member this node has seen before the database confirms them (see serve). */
    speculate?: boolean;
  }): Promise<RequestContext>;
  /** Whether the database can take a request's first statements in one write (PostgreSQL; not the embedded one). */
  speculate: boolean;
}

/**
 * POST /graphql with a JSON body, served straight on Node's http server: the same steps as the
 * Express chain (request id and log line, rate limit before the body is read, a 2 MB JSON body,
 * the document length limit, Apollo), without Express. Express's per-request work (it re-parents
 * the request and response objects, routes, wraps the body parser) cost ~80 µs of CPU per request
 * on a 2-core machine — about as much as PostGraphile's whole request. Anything else (GET, other
 * content types or encodings, CORS preflights and responses) goes to Express: `handle` returns false.
 */
export function graphqlPost(options: GraphqlPostOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { apollo, limiter, identity } = options;
  return (req, res) => {
    if (req.method !== 'POST' || !isGraphqlPath(req.url) || !isPlainJson(req) || (options.cors && req.headers.origin !== undefined)) return false;
    void serve(req, res).catch((err: unknown) => {
      // Apollo answers its own failures; this is a failure to write the answer (client gone).
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }] });
      else res.destroy(err instanceof Error ? err : undefined);
    });
    return true;
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { requestId, requestLog } = options.beginRequest(req, res);
    const address = req.socket.remoteAddress ?? null;
    // Refused before the body is read or the document parsed: an over-limit caller costs nothing.
    const { claims, retryAfterSeconds } = await checkRateLimit(limiter, identity, req.headers.authorization, address ?? 'unknown');
    if (retryAfterSeconds > 0) {
      requestLog.errorCodes = [ErrorCode.RATE_LIMITED];
      res.setHeader('retry-after', String(retryAfterSeconds));
      req.resume();
      return sendJson(res, 429, rateLimitedBody(retryAfterSeconds));
    }
    const body = await readJsonBody(req);
    const refused = body === TOO_LARGE ? refusals.bodyTooLarge() : body === NOT_JSON ? refusals.notJson() : refusals.documentTooLong((body as { query?: unknown }).query);
    if (refused) {
      if (refused.status === 413) requestLog.errorCodes = [ErrorCode.QUERY_TOO_COMPLEX];
      return sendJson(res, refused.status, refused.body);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const queryAt = url.indexOf('?');
    const run = async (speculate: boolean) => {
      let ctx: RequestContext | undefined;
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: queryAt >= 0 ? url.slice(queryAt) : '', body },
        context: async () => (ctx = await options.context({ req, res, requestId, requestLog, tokenClaims: claims, address, speculate })),
      });
      return { response, confirmed: (await ctx?.memberConfirmed())?.same ?? true };
    };
    // A signed-in member this node has seen is acted for at once: the statement that re-reads
    // them goes out with the first query, one round trip fewer. Nothing of that run is answered
    // until the database has confirmed the member unchanged (their scope writes nothing before);
    // if they changed (a new role, deactivated, gone), the request runs again the usual way.
    let { response, confirmed } = await run(options.speculate);
    if (!confirmed) ({ response } = await run(false));
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(response.body.string));
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }
}

function isGraphqlPath(url: string | undefined): boolean {
  if (!url) return false;
  const end = url.indexOf('?');
  const path = end >= 0 ? url.slice(0, end) : url;
  return path === '/graphql' || path === '/graphql/';
}

/** application/json in UTF-8 (or no charset), not compressed: what the fast path parses; the rest goes to Express's body parser. */
function isPlainJson(req: IncomingMessage): boolean {
  const encoding = req.headers['content-encoding'];
  if (encoding && encoding.toLowerCase() !== 'identity') return false;
  const type = req.headers['content-type'];
  if (!type) return false;
  const [mime, ...params] = type.split(';');
  if (mime.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p) => {
    const [name, value] = p.split('=').map((x) => x.trim().toLowerCase());
    return name !== 'charset' || value === 'utf-8' || value === 'utf8' || value === '"utf-8"';
  });
}

const TOO_LARGE = Symbol('too large');
const NOT_JSON = Symbol('not JSON');

/** The body as JSON (an object or array, as Express's parser insists), or why not; over the limit it stops reading. */
function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > BODY_LIMIT_BYTES) {
    req.resume();
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (over) return resolve(TOO_LARGE);
      const text = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      if (text.length === 0) return resolve({});
      try {
        const parsed: unknown = JSON.parse(text);
        resolve(parsed !== null && typeof parsed === 'object' ? parsed : NOT_JSON);
      } catch {
        resolve(NOT_JSON);
      }
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}
