import 'reflect-metadata';
import { DEMO_ADMIN_PASSWORD, DEMO_LOGINS } from './cli/demo-data';
import { AppLogger } from './common/logger';
import { ConfigError, loadConfig } from './config';
import { createServer, RunningServer } from './server';

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
  const grace = config.shutdownGraceMs;

  // The one owner of the termination signals, installed before anything starts. The first signal
  // drains and exits 0 (once the server is up, if it arrives during start); a second one (an
  // impatient Ctrl-C) exits at once.
  let server: RunningServer | null = null;
  let stopRequested = false;
  const stop = (running: RunningServer, signal: string) => {
    log.info('shutting down', { signal, graceMs: grace });
    // Whatever happens to the orderly stop, the process ends a little after the grace period.
    setTimeout(() => {
      log.error('shutdown did not finish in time: exiting', { signal });
      process.exit(1);
    }, grace + 10_000).unref();
    running.stop().then(
      (graceful) => {
        log.info('stopped', { graceful });
        process.exit(0);
      },
      (err: unknown) => {
        log.error('shutdown failed', { error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopRequested) {
      log.warn('second signal: exiting now', { signal });
      process.exit(1);
    }
    stopRequested = true;
    if (server) stop(server, signal);
    else log.info('signal during start: stopping once started', { signal });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  const started = Date.now();
  server = await createServer(config, { log });
  if (stopRequested) return stop(server, 'SIGTERM');
  const database = config.databaseUrl ? 'PostgreSQL at DATABASE_URL' : `embedded PostgreSQL (PGlite) in ${config.dataDir}`;
  process.stdout.write(`Agency Graph is ready at ${server.url} (${database}, ${Date.now() - started} ms)\n`);
  if (config.seedDemo) {
    const logins = DEMO_LOGINS.map((l) => `  ${l.role.padEnd(24)} ${l.email}`).join('\n');
    process.stdout.write(
      `Open ${server.url} in a browser for the explorer. Demo logins (password "${DEMO_ADMIN_PASSWORD}"):\n${logins}\n` +
        `  mutation { login(email: "${DEMO_LOGINS[0].email}", password: "${DEMO_ADMIN_PASSWORD}") { token } }\n`,
    );
  }
  process.stdout.write('Stop with Ctrl-C (or SIGTERM): open requests finish first.\n');
}

main().catch((err) => {
  process.stderr.write(`Agency Graph failed to start: ${err instanceof Error ? (err.name === 'ConfigError' || err.name === 'DataDirInUse' ? err.message : err.stack) : String(err)}\n`);
  process.exit(1);
});
