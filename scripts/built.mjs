// Runs a compiled entry point (default: the server), compiling first only when a source is newer
// than the last build: `npm install` builds once (the `prepare` script), so a warm `npm start`
// skips TypeScript entirely.
//   node scripts/built.mjs [dist/src/main.js] [args...]
//   node scripts/built.mjs --build-only          (compile if stale, run nothing)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.tsbuildinfo');
const SOURCES = ['src', 'migrations', 'ormconfig.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function ensureBuilt() {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))));
  if (built >= sources) return false;
  process.stderr.write('Compiling TypeScript (sources changed since the last build)…\n');
  execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  // tsc leaves the build info untouched when no output changed: mark this build as current.
  const now = new Date();
  utimesSync(stamp, now, now);
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    ensureBuilt();
  } catch {
    process.exit(1); // tsc has printed the errors
  }
  if (process.argv[2] === '--build-only') process.exit(0);
  const entry = resolve(root, process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] : 'dist/src/main.js');
  // Run the entry as the main module, as if started directly (`node <entry> [args...]`), so its
  // `require.main === module` check and process.argv see what they expect.
  process.argv.splice(1, process.argv[2] === undefined || process.argv[2].startsWith('-') ? 1 : 2, entry);
  createRequire(import.meta.url)('node:module').runMain(entry);
}
