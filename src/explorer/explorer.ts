import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { getDistDirectory, renderAltair } from 'altair-static';
import express from 'express';
import type { Config } from '../config';
import { corsMiddleware } from './cors';
import { explorerInitialQuery } from './initial-query';

/** Where the self-hosted explorer (Altair) lives; every asset is served from the altair-static package. */
export const EXPLORER_PATH = '/graphiql';
const GRAPHQL_PATH = '/graphql';

/**
 * Apollo's own landing page: Sandbox only when asked for (it loads from Apollo's CDN, so it
 * shows a blank page offline). Otherwise Apollo serves none and the explorer below answers.
 */
export function landingPagePlugin(config: Pick<Config, 'landingPage'>): ApolloServerPlugin {
  return config.landingPage === 'sandbox'
    ? ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false })
    : ApolloServerPluginLandingPageDisabled();
}

/**
 * Altair's page. Endpoints are relative, so the browser fills in the host it used; only the
 * WebSocket scheme must be chosen here (ws behind http, wss behind https).
 */
function explorerHtml(seedDemo: boolean, secure: boolean): string {
  return renderAltair({
    baseURL: `${EXPLORER_PATH}/`,
    endpointURL: GRAPHQL_PATH,
    subscriptionsEndpoint: GRAPHQL_PATH,
    subscriptionsProtocol: secure ? 'wss' : 'ws',
    initialSubscriptionRequestHandlerId: 'graphql-ws',
    initialQuery: explorerInitialQuery(seedDemo),
    initialName: 'Agency Graph',
    instanceStorageNamespace: 'agency_graph_',
    // No account, cloud sync, plugins from a CDN, update notices or banners: nothing leaves the machine.
    disableAccount: true,
    initialSettings: {
      'plugin.list': [],
      'alert.disableUpdateNotification': true,
      'banners.disable': true,
      disablePushNotification: true,
    },
  });
}

/** A browser opening /graphql (it prefers HTML and sends no query): show it the explorer. */
function wantsExplorer(req: express.Request): boolean {
  if (req.query.query !== undefined) return false;
  return req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
}

/**
 * Mounts, before the GraphQL middleware: CORS for the configured origins on /graphql, and
 * (unless LANDING_PAGE=off) the explorer at /graphiql, also shown to browsers at GET /graphql
 * when LANDING_PAGE=explorer. GraphQL GETs with ?query= still reach Apollo.
 */
export function mountExplorer(app: express.Express, config: Pick<Config, 'landingPage' | 'seedDemo' | 'corsOrigins'>): void {
  if (config.corsOrigins.length > 0) app.use(GRAPHQL_PATH, corsMiddleware(config.corsOrigins));
  if (config.landingPage === 'off') return;

  const pages = { http: explorerHtml(config.seedDemo, false), https: explorerHtml(config.seedDemo, true) };
  const sendPage: express.RequestHandler = (req, res) => {
    res.setHeader('cache-control', 'no-cache');
    // Behind a TLS-terminating proxy the page is https and needs wss; the header only picks the scheme.
    const secure = req.secure || req.get('x-forwarded-proto')?.split(',')[0].trim() === 'https';
    res.type('html').send(secure ? pages.https : pages.http);
  };

  app.get([EXPLORER_PATH, `${EXPLORER_PATH}/`, `${EXPLORER_PATH}/index.html`], sendPage);
  app.use(
    EXPLORER_PATH,
    express.static(getDistDirectory(), {
      index: false,
      fallthrough: false,
    }),
  );
  if (config.landingPage === 'explorer') {
    app.get(GRAPHQL_PATH, (req, res, next) => (wantsExplorer(req) ? sendPage(req, res, next) : next()));
  }
}
