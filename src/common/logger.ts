import type { LogLevel } from '../config';

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** One JSON object per line on stderr: easy to ship, easy to grep. */
export class AppLogger {
  constructor(private readonly level: LogLevel = 'info') {}

  private write(level: LogLevel, message: string, fields: Record<string, unknown>): void {
    if (ORDER[level] > ORDER[this.level]) return;
    process.stderr.write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }) + '\n');
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.write('error', message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.write('warn', message, fields);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.write('info', message, fields);
  }

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.write('debug', message, fields);
  }
}
