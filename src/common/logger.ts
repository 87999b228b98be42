import pino, { DestinationStream, Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from '../config';

/**
 * The process's logger: pino, one JSON object per line on stderr (pretty-printed when stderr is a
 * terminal). This thin class keeps the call sites short (`log.info(message, fields)`) and lets
 * tests capture what is logged by overriding a method.
 */
export class AppLogger {
  readonly pino: Logger;

  constructor(level: LogLevel = 'info', destination?: DestinationStream) {
    const stream = destination ?? (process.stderr.isTTY ? pretty({ destination: 2, sync: true }) : pino.destination({ dest: 2, sync: true }));
    this.pino = pino(
      {
        level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        // Lines about a request pass its requestId explicitly. Not an AsyncLocalStorage: on Node 20
        // it hooks every promise, a fifth of the CPU of a large query.
      },
      stream,
    );
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.pino.error(fields, message);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.pino.warn(fields, message);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.pino.info(fields, message);
  }

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.pino.debug(fields, message);
  }

  /** Apollo Server's own messages, as JSON lines like ours (Apollo's logger interface). */
  forApollo(): { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void } {
    return {
      debug: (m) => this.debug(String(m), { source: 'apollo' }),
      info: (m) => this.info(String(m), { source: 'apollo' }),
      warn: (m) => this.warn(String(m), { source: 'apollo' }),
      error: (m) => this.error(String(m), { source: 'apollo' }),
    };
  }
}
