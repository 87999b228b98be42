import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * Embedded PostgreSQL: PGlite (PostgreSQL compiled to WASM) behind a local socket, so the app
 * talks to it with the same `pg` driver and migrations as to a real server. PGlite serves one
 * connection at a time: the pool must be of size 1.
 */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/** Another live process has the embedded database open. */
export class DataDirInUse extends Error {
  override readonly name = 'DataDirInUse';
}

interface LockHolder {
  pid: number;
  hostname: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Two processes writing one PGlite directory corrupt it: the first to start writes a lock file
 * naming itself; a later one refuses while that process lives. A lock left by a dead process
 * (kill -9, a crash) is taken over.
 */
function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, 'embedded.lock');
  const me: LockHolder = { pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me) + '\n');
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: LockHolder | null = null;
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as LockHolder;
    } catch {
      // unreadable: a half-written lock of a process that died while writing it
    }
    if (holder && holder.hostname === me.hostname && isAlive(holder.pid)) {
      throw new DataDirInUse(
        `The embedded database in ${dataDir} is in use by another Agency Graph process (pid ${holder.pid}, started ${holder.startedAt}); stop it, or set DATA_DIR to another directory`,
      );
    }
    unlinkSync(file);
  }
}

/**
 * First boot: initdb grows PGlite's WASM heap to ~800 MB, which a live instance never gives
 * back. Run it in a worker thread, whose heap is freed when it exits; the cluster is then opened
 * like any existing one (~400 MB resident).
 */
async function initdbInWorker(dir: string): Promise<void> {
  const pglite = require.resolve('@electric-sql/pglite');
  const code = `require(${JSON.stringify(pglite)}).PGlite.create(${JSON.stringify(dir)}).then((db) => db.close())`;
  await new Promise<void>((resolveInit, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('error', reject);
    worker.once('exit', (exitCode) => (exitCode === 0 ? resolveInit() : reject(new Error(`embedded initdb failed (exit ${exitCode})`))));
  });
}

export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  // PGlite does not create missing parent directories.
  const dir = join(dataDir, 'pglite');
  mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  let db: PGlite | undefined;
  try {
    if (!existsSync(join(dir, 'PG_VERSION'))) await initdbInWorker(dir);
    db = await PGlite.create(dir);
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    // Listening on port 0 lets the OS pick a free port; the socket server does not report it.
    const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
    const opened = db;
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async stop() {
        try {
          await server.stop();
          // close() checkpoints and flushes the data directory.
          await opened.close();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    await db?.close().catch(() => undefined);
    unlock();
    throw err;
  }
}
