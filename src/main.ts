import 'reflect-metadata';
import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD } from './cli/demo-data';
import { AppLogger } from './common/logger';
import { ConfigError, loadConfig } from './config';
import { createServer } from './server';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const log = new AppLogger(config.logLevel);
  const started = Date.now();
  const server = await createServer(config, { log });
  const database = config.databaseUrl ? 'PostgreSQL at DATABASE_URL' : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  process.stdout.write(`Agency Graph is ready at ${server.url} (${database}, ${Date.now() - started} ms)\n`);
  if (config.seedDemo) {
    process.stdout.write(`Demo login: ${DEMO_ADMIN_EMAIL} / ${DEMO_ADMIN_PASSWORD}  (mutation { login(email, password) { token } })\n`);
  }
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Agency Graph failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
