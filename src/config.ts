import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Every setting the process reads from its environment, validated in one place. */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  /** PostgreSQL server to use; when absent the API runs on embedded PGlite under dataDir. */
  databaseUrl?: string;
  dataDir: string;
  jwtSecret: string;
  /** Lifetime of a login token, in seconds. */
  jwtTtlSeconds: number;
  logLevel: LogLevel;
  /** Load the demo agency on first boot. Defaults to true in embedded mode, false otherwise. */
  seedDemo: boolean;
  /** Redis for sharing rate-limit buckets (and, later, alerts) between API nodes. */
  redisUrl?: string;
  /** Requests a caller may make per minute, sustained, and at once. */
  rateLimitPerMinute: number;
  rateLimitBurst: number;
  /** PostgreSQL statement_timeout for the API's connections, in milliseconds. */
  statementTimeoutMs: number;
  /** Connections in the PostgreSQL pool of this API node (embedded PGlite always uses 1). */
  dbPoolSize: number;
  /**
   * How long a request waits for a pooled connection (or for a new one to open) before it
   * answers 503 SERVICE_UNAVAILABLE with Retry-After, in milliseconds.
   */
  dbAcquireTimeoutMs: number;
  /** The query-cost limit (default 1,000,000; see README "Limits"). */
  queryMaxCost?: number;
  /** Items of object lists one request may resolve before it is stopped (default: the cost limit). */
  queryMaxObjects?: number;
  /** Milliseconds a request may run before it is stopped at its next list (default 10,000). */
  queryDeadlineMs?: number;
  /** Who may introspect the schema: anyone, signed-in callers only, or nobody. */
  introspection: 'public' | 'authenticated' | 'off';
  /** How long in-flight requests may take to finish once SIGTERM/SIGINT arrives, in milliseconds. */
  shutdownGraceMs: number;
  /**
   * After a termination signal, how long /readyz answers 503 while requests are still accepted,
   * so a load balancer stops routing here before the port closes. 0 (default) closes at once.
   */
  shutdownReadinessDelayMs: number;
  /**
   * What a browser opening /graphql gets: the self-hosted explorer (Altair, also at /graphiql;
   * works offline), Apollo Sandbox (loads from Apollo's CDN), or no page.
   */
  landingPage: 'explorer' | 'sandbox' | 'off';
  /** Browser origins allowed to call /graphql from other sites (CORS), e.g. https://studio.apollographql.com. */
  corsOrigins: string[];
}

const INTROSPECTION_MODES = ['public', 'authenticated', 'off'] as const;
const LANDING_PAGES = ['explorer', 'sandbox', 'off'] as const;

function parseRedisUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (!/^rediss?:\/\/./.test(raw)) throw new ConfigError(`REDIS_URL must start with redis:// or rediss://; got "${raw}"`);
  return raw;
}

export class ConfigError extends Error {}

const LOG_LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}; got "${raw}"`);
  }
  return value;
}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false; got "${raw}"`);
}

function parseDatabaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DATABASE_URL is not a URL: "${raw}"`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://; got "${url.protocol}//"`);
  }
  return raw;
}

/**
 * The JWT secret: JWT_SECRET when given (required in production, where every API node must
 * share it); otherwise a random one generated once and kept in the data directory so tokens
 * survive restarts.
 */
function resolveJwtSecret(env: NodeJS.ProcessEnv, nodeEnv: Config['nodeEnv'], dataDir: string): string {
  const given = env.JWT_SECRET;
  if (given !== undefined && given !== '') {
    if (given.length < 32) throw new ConfigError('JWT_SECRET must be at least 32 characters long');
    return given;
  }
  if (nodeEnv === 'production') throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/** Analysts explore the schema in Sandbox: in production it stays open to signed-in callers. */
function parseIntrospection(raw: string | undefined, nodeEnv: Config['nodeEnv']): Config['introspection'] {
  if (raw === undefined || raw === '') return nodeEnv === 'production' ? 'authenticated' : 'public';
  if (!(INTROSPECTION_MODES as readonly string[]).includes(raw)) {
    throw new ConfigError(`INTROSPECTION must be one of ${INTROSPECTION_MODES.join(', ')}; got "${raw}"`);
  }
  return raw as Config['introspection'];
}

/** LANDING_PAGE; the old boolean values still work (true: the explorer, false: off). */
function parseLandingPage(raw: string | undefined, nodeEnv: Config['nodeEnv']): Config['landingPage'] {
  if (raw === undefined || raw === '') return nodeEnv === 'production' ? 'off' : 'explorer';
  const value = raw.toLowerCase();
  if ((LANDING_PAGES as readonly string[]).includes(value)) return value as Config['landingPage'];
  if (['1', 'true', 'yes', 'on'].includes(value)) return 'explorer';
  if (['0', 'false', 'no'].includes(value)) return 'off';
  throw new ConfigError(`LANDING_PAGE must be one of ${LANDING_PAGES.join(', ')}; got "${raw}"`);
}

/** CORS_ORIGINS: a comma-separated list of exact origins (scheme://host[:port]); empty means no CORS. */
function parseCorsOrigins(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  return raw.split(',').map((entry) => {
    const given = entry.trim();
    let url: URL | undefined;
    try {
      url = new URL(given);
    } catch {
      url = undefined;
    }
    // Only a bare origin: no path, query, credentials or wildcard ("*" would open the API to every site).
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== given.replace(/\/$/, '').toLowerCase()) {
      throw new ConfigError(`CORS_ORIGINS must list origins such as https://studio.apollographql.com, separated by commas; got "${given}"`);
    }
    return url.origin;
  });
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const nodeEnvRaw = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnvRaw)) {
    throw new ConfigError(`NODE_ENV must be development, production or test; got "${nodeEnvRaw}"`);
  }
  const nodeEnv = nodeEnvRaw as Config['nodeEnv'];
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${env.LOG_LEVEL}"`);
  }
  const databaseUrl = parseDatabaseUrl(env.DATABASE_URL);
  const dataDir = resolve(env.DATA_DIR || '.data');
  const embedded = databaseUrl === undefined;
  return {
    nodeEnv,
    port: parseInteger('PORT', env.PORT, 4000, 0, 65535),
    databaseUrl,
    dataDir,
    jwtSecret: resolveJwtSecret(env, nodeEnv, dataDir),
    jwtTtlSeconds: parseInteger('JWT_TTL_SECONDS', env.JWT_TTL_SECONDS, 12 * 3600, 60, 30 * 24 * 3600),
    logLevel,
    seedDemo: parseBoolean('SEED_DEMO', env.SEED_DEMO, embedded),
    redisUrl: parseRedisUrl(env.REDIS_URL),
    rateLimitPerMinute: parseInteger('RATE_LIMIT_PER_MINUTE', env.RATE_LIMIT_PER_MINUTE, 600, 1, 1_000_000),
    rateLimitBurst: parseInteger('RATE_LIMIT_BURST', env.RATE_LIMIT_BURST, 120, 1, 1_000_000),
    statementTimeoutMs: parseInteger('STATEMENT_TIMEOUT_MS', env.STATEMENT_TIMEOUT_MS, 15_000, 100, 600_000),
    dbPoolSize: parseInteger('DB_POOL_SIZE', env.DB_POOL_SIZE, 10, 1, 1000),
    dbAcquireTimeoutMs: parseInteger('DB_ACQUIRE_TIMEOUT_MS', env.DB_ACQUIRE_TIMEOUT_MS, 5000, 50, 600_000),
    queryMaxCost: env.QUERY_MAX_COST ? parseInteger('QUERY_MAX_COST', env.QUERY_MAX_COST, 0, 1, 1_000_000_000) : undefined,
    queryMaxObjects: env.QUERY_MAX_OBJECTS ? parseInteger('QUERY_MAX_OBJECTS', env.QUERY_MAX_OBJECTS, 0, 1, 100_000_000) : undefined,
    queryDeadlineMs: env.QUERY_DEADLINE_MS ? parseInteger('QUERY_DEADLINE_MS', env.QUERY_DEADLINE_MS, 0, 1, 600_000) : undefined,
    introspection: parseIntrospection(env.INTROSPECTION, nodeEnv),
    shutdownGraceMs: parseInteger('SHUTDOWN_GRACE_MS', env.SHUTDOWN_GRACE_MS, 10_000, 0, 600_000),
    shutdownReadinessDelayMs: parseInteger('SHUTDOWN_READINESS_DELAY_MS', env.SHUTDOWN_READINESS_DELAY_MS, 0, 0, 120_000),
    landingPage: parseLandingPage(env.LANDING_PAGE, nodeEnv),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
  };
}
