import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DataSource, Logger } from 'typeorm';
import { seedDemoData } from './cli/demo-data';
import { buildContext, requireAuthentication } from './common/auth';
import { RequestContext } from './common/context';
import { formatError, isUnexpected } from './common/error-formatting';
import { AppLogger } from './common/logger';
import type { Config } from './config';
import { openDatabase } from './db/open';
import { Agency } from './modules/agency/agency.entity';
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
  stop(): Promise<void>;
}

/** Largest request body accepted: a 1,000-row ingest batch fits with room to spare. */
const BODY_LIMIT = '2mb';

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
  const database = await openDatabase(config, options.sqlLogger);
  const { db } = database;
  let seeded = false;
  if (config.seedDemo && (await db.getRepository(Agency).count()) === 0) {
    await seedDemoData(db);
    seeded = true;
  }

  const app = express();
  const httpServer = http.createServer(app);
  const apollo = new ApolloServer<RequestContext>({
    schema: await buildAppSchema(),
    formatError,
    includeStacktraceInErrorResponses: false,
    introspection: true,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      requireAuthentication,
      {
        async requestDidStart() {
          return {
            async didEncounterErrors({ errors, contextValue }) {
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

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(
    '/graphql',
    express.json({ limit: BODY_LIMIT }),
    (req, res, next) => {
      const requestId = requestIdOf(req.headers['x-request-id']);
      res.setHeader('x-request-id', requestId);
      (req as express.Request & { requestId?: string }).requestId = requestId;
      next();
    },
    expressMiddleware(apollo, {
      context: ({ req }) =>
        buildContext(db, config, req.headers.authorization, (req as express.Request & { requestId?: string }).requestId ?? randomUUID()),
    }),
  );

  await new Promise<void>((resolve) => httpServer.listen(config.port, resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://localhost:${port}/graphql`,
    port,
    db,
    seeded,
    async stop() {
      await apollo.stop();
      await database.close();
    },
  };
}
