import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource, Logger } from 'typeorm';
import { seedDemoData } from './cli/demo-data';
import { buildContext, requireAuthentication } from './common/auth';
import { RequestContext } from './common/context';
import { connectionFailureRetryAfter, databaseUnavailable, formatError, isUnexpected, markConnectionFailures } from './common/error-formatting';
import { httpSubscriptionPlugin } from './common/http-subscription-plugin';
import { inputErrorsPlugin } from './common/input-errors-plugin';
import { textInputPlugin } from './common/text-input';
import { ErrorCode } from './common/errors';
import { httpStatusPlugin } from './common/http-status';
import { QUERY_LIMITS, queryLimitsPlugin, RepeatedSelectionsRule } from './common/limits';
import { MemoryRateLimiter, RateLimiter, RedisRateLimiter } from './common/rate-limit';
import { KnownApiKeys, rateLimitMiddleware } from './common/rate-limit-middleware';
import { AppLogger } from './common/logger';
import type { Config } from './config';
import { openDatabase } from './db/open';
import { HttpDrain } from './http-drain';
import { BODY_LIMIT, graphqlPost, GraphqlPostOptions, refusals, RequestLog } from './graphql-post';
import { checkReadiness } from './readiness';
import { landingPagePlugin, mountExplorer } from './explorer/explorer';
import { apiKeyPrefix } from './modules/api-key/api-key.secrets';
import { slugsLike } from './modules/agency/agency.service';
import { buildAppSchema } from './schema';

export interface ServerOptions {
  /** Receives every SQL statement (tests count them). */
  sqlLogger?: Logger;
  log?: AppLogger;
}

export interface RunningServer {
  url: string;
  port: number;
  db: DataSource;
  /** Whether this boot loaded the demo agency. */
  seeded: boolean;
  /**
   * Graceful stop: /readyz turns 503, no new requests are accepted, idle connections close at
   * once, in-flight requests finish (up to SHUTDOWN_GRACE_MS), then Redis and the database close.
   * Safe to call more than once; resolves false when requests had to be cut at the deadline.
   */
  stop(): Promise<boolean>;
}


type RequestWithId = express.Request & { requestId?: string; requestLog?: RequestLog };

/** The document length limit on the Express path (see refusals.documentTooLong). */
const refuseLongDocuments: express.RequestHandler = (req, res, next) => {
  const refused = refusals.documentTooLong((req.body as { query?: unknown } | undefined)?.query ?? req.query?.query);
  if (!refused) return next();
  const entry = (req as RequestWithId).requestLog;
  if (entry) entry.errorCodes = [ErrorCode.QUERY_TOO_COMPLEX];
  res.status(refused.status).json(refused.body);
};

function requestIdOf(header: string | string[] | undefined): string {
  const given = Array.isArray(header) ? header[0] : header;
  return given && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/**
 * Opens the database (embedded PGlite when no DATABASE_URL), applies pending migrations,
 * loads the demo agency into an empty embedded database, and serves GraphQL on /graphql.
 */
export async function createServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? new AppLogger(config.logLevel);
  const database = await openDatabase(config, options.sqlLogger, config.statementTimeoutMs, (error) =>
    log.warn('idle database connection failed; the pool drops it', { error: error.message }),
  );
  const { db } = database;
  let seeded = false;
  if (config.seedDemo && (await slugsLike(db.manager, '%')).length === 0) {
    await seedDemoData(db);
    seeded = true;
  }

  const schema = await buildAppSchema();
  const limits = { perMinute: config.rateLimitPerMinute, burst: config.rateLimitBurst };
  let limiter: RateLimiter;
  if (config.redisUrl) {
    const redisLimiter = new RedisRateLimiter(config.redisUrl, limits, {
      degraded: (error) => log.warn('Redis unreachable: rate limits fall back to per-node buckets until it is back', { error }),
      restored: () => log.info('Redis reachable again: rate limits are shared between nodes'),
    });
    await redisLimiter.connected();
    limiter = redisLimiter;
  } else {
    limiter = new MemoryRateLimiter(limits);
  }
  const knownApiKeys = new KnownApiKeys();

  const app = express();
  // POST /graphql with a JSON body takes the fast path (src/graphql-post.ts); the rest, Express.
  let fastPost: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | null = null;
  const httpServer = http.createServer((req, res) => {
    if (fastPost?.(req, res)) return;
    app(req, res);
  });
  const drain = new HttpDrain(httpServer);
  let stopping: Promise<boolean> | null = null;
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError,
    // The process owns SIGTERM/SIGINT (src/main.ts): Apollo's own handler raced ours and hung stop().
    stopOnTerminationSignals: false,
    logger: log.forApollo(),
    includeStacktraceInErrorResponses: false,
    introspection: config.introspection !== 'off',
    // Token limit enforced by the parser itself, before the document is even built.
    parseOptions: { maxTokens: QUERY_LIMITS.maxTokens },
    // Refuses documents whose validation would be quadratic before validating them.
    validationRules: [RepeatedSelectionsRule],
    plugins: [
      // Installed by default, cache control wraps every resolved field; nothing here uses it.
      ApolloServerPluginCacheControlDisabled(),
      landingPagePlugin(config),
      httpSubscriptionPlugin(),
      inputErrorsPlugin(),
      queryLimitsPlugin(schema, { maxCost: config.queryMaxCost, maxObjects: config.queryMaxObjects, deadlineMs: config.queryDeadlineMs }),
      requireAuthentication(config.introspection),
      // After authentication: an anonymous caller hears UNAUTHENTICATED first.
      textInputPlugin(schema),
      httpStatusPlugin(),
      {
        // Apollo logs this failure without knowing the request: say which one it was.
        async unexpectedErrorProcessingRequest({ requestContext, error }) {
          log.error('unexpected error processing request', { requestId: requestContext.contextValue.requestId, error: error.message, stack: error.stack });
        },
        async requestDidStart({ contextValue }) {
          return {
            async willSendResponse({ response, operationName }) {
              const entry = contextValue.requestLog;
              if (!entry) return;
              entry.operationName = operationName;
              const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
              if (errors?.length) entry.errorCodes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'UNKNOWN')))];
            },
            async didEncounterErrors({ errors, contextValue }) {
              // A lost or busy database connection answers 503 with Retry-After, not a masked 500.
              markConnectionFailures(errors);
              for (const error of errors) {
                const retryAfterSeconds = connectionFailureRetryAfter(error.originalError ?? error);
                if (retryAfterSeconds !== null) log.warn('database unavailable', { requestId: contextValue.requestId, error: error.message, retryAfterSeconds });
              }
              for (const error of errors.filter(isUnexpected)) {
                log.error('unexpected error', { requestId: contextValue.requestId, error: error.message, stack: error.stack });
              }
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  // No ETag on GraphQL responses: POST answers are not cached, and hashing a 1 MB body costs milliseconds.
  app.set('etag', false);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (stopping) return void res.status(503).json({ status: 'shutting down' });
    // Answers within a second whatever the dependencies do (each probe has a timeout).
    const status = await checkReadiness(db, limiter);
    res.status(status === 'ready' ? 200 : 503).json({ status });
  });
  mountExplorer(app, config);
  /** The request id (echoed in x-request-id) and one log line per request: who asked what, how it ended, how long it took. */
  const beginRequest: GraphqlPostOptions['beginRequest'] = (req, res) => {
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    const requestLog: RequestLog = {};
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const durationMs = Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
      log.info('request', { requestId, method: req.method, status: res.statusCode, durationMs, operationName: requestLog.operationName ?? undefined, errorCodes: requestLog.errorCodes });
    });
    return { requestId, requestLog };
  };

  // No AsyncLocalStorage around the request: on Node 20 it puts an async hook on every promise,
  // 20 % of the CPU of a large query (one promise per resolved list item). Our log lines name
  // their request explicitly instead (see the plugin above for Apollo's unexpected failures).
  const contextFor: GraphqlPostOptions['context'] = async ({ req, res, requestId, requestLog, tokenClaims, address, speculate }) => {
    const ctx = await buildContext(db, config, req.headers.authorization, requestId, tokenClaims, speculate).catch((err: unknown) => {
      // No connection in time, or it was lost: a 503 to retry (Apollo answers its status).
      const retryAfterSeconds = connectionFailureRetryAfter(err);
      if (retryAfterSeconds === null) throw err;
      log.warn('database unavailable', { requestId, error: err instanceof Error ? err.message : String(err), retryAfterSeconds });
      throw databaseUnavailable(retryAfterSeconds);
    });
    if (ctx.viewer?.apiKeyId) {
      const prefix = apiKeyPrefix(/^Bearer\s+(\S+)$/i.exec(req.headers.authorization?.trim() ?? '')?.[1] ?? '');
      if (prefix) knownApiKeys.add(prefix);
    }
    ctx.remoteAddress = address;
    ctx.requestLog = requestLog;
    // The connection goes back to the pool as the response is sent; if the client goes away
    // first (a request Apollo gave up on), once its statements have settled.
    res.on('close', () => void ctx.finish(false).catch((err: unknown) => log.error('could not return the request connection', { requestId, error: String(err) })));
    return ctx;
  };

  const identity = { jwtSecret: config.jwtSecret, apiKeyPrefix, knownApiKeys };
  // PGlite is reached through a socket bridge whose handling of pipelined statements is not ours
  // to rely on: members are confirmed first there, as on the Express path.
  fastPost = graphqlPost({ apollo, limiter, identity, beginRequest, context: contextFor, cors: config.corsOrigins.length > 0, speculate: config.databaseUrl !== undefined });

  app.use(
    '/graphql',
    (req, res, next) => {
      Object.assign(req as RequestWithId, beginRequest(req, res));
      next();
    },
    // Refused before the body is read or the document parsed: an over-limit caller costs nothing.
    rateLimitMiddleware(limiter, identity, (req) => {
      const entry = (req as RequestWithId).requestLog;
      if (entry) entry.errorCodes = [ErrorCode.RATE_LIMITED];
    }),
    express.json({ limit: BODY_LIMIT }),
    refuseLongDocuments,
    expressMiddleware(apollo, {
      context: ({ req, res }) =>
        contextFor({
          req,
          res,
          requestId: (req as RequestWithId).requestId ?? randomUUID(),
          requestLog: (req as RequestWithId).requestLog ?? {},
          tokenClaims: res.locals.tokenClaims,
          address: req.ip ?? null,
        }),
    }),
  );
  // A body over the limit or unreadable JSON: a GraphQL-shaped error, not an HTML page.
  app.use('/graphql', ((err, _req, res, next) => {
    if (res.headersSent) return next(err);
    const refused = err?.type === 'entity.too.large' ? refusals.bodyTooLarge() : refusals.notJson(err?.status ?? 400);
    res.status(refused.status).json(refused.body);
  }) as express.ErrorRequestHandler);

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    db,
    seeded,
    stop() {
      stopping ??= (async () => {
        // /readyz already answers 503; give the load balancer time to notice before closing the port.
        if (config.shutdownReadinessDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownReadinessDelayMs));
        const graceful = await drain.drain(config.shutdownGraceMs);
        if (!graceful) log.warn('shutdown grace period over: open requests were cut', { graceMs: config.shutdownGraceMs });
        await apollo.stop();
        await limiter.close();
        await database.close();
        return graceful;
      })();
      return stopping;
    },
  };
}
