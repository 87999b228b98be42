import 'reflect-metadata';
import { AppError } from '../common/errors';
import { ConfigError, loadConfig } from '../config';

/**
 * Runs a command-line task with the configured database and reports failures in one line
 * (exit code 1), never with a stack trace for the user's own mistakes.
 */
export function runCli(task: (config: ReturnType<typeof loadConfig>) => Promise<void>): void {
  Promise.resolve()
    .then(() => task(loadConfig()))
    .catch((err: unknown) => {
      if (err instanceof ConfigError) process.stderr.write(`Configuration error: ${err.message}\n`);
      else if (err instanceof AppError) process.stderr.write(`Error (${err.extensions.code}): ${err.message}\n`);
      else process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}

/** `--name value` and `--name=value` options; throws on an unknown or valueless option. */
export function parseOptions(argv: string[], known: string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!match || !known.includes(match[1])) throw AppError.badField(argv[i], `unknown option; expected ${known.map((k) => `--${k}`).join(', ')}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw AppError.badField(`--${match[1]}`, 'needs a value');
    options[match[1]] = value;
  }
  return options;
}
