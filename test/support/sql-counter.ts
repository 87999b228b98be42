import { Logger, QueryRunner } from 'typeorm';

/** A TypeORM logger that counts the SQL statements the app sends. */
export class SqlCounter implements Logger {
  statements: string[] = [];
  /** The parameters of each statement, in the same order. */
  parameters: unknown[][] = [];

  reset(): void {
    this.statements = [];
    this.parameters = [];
  }

  get count(): number {
    return this.statements.length;
  }

  logQuery(query: string, parameters?: unknown[], _runner?: QueryRunner): void {
    this.statements.push(query);
    this.parameters.push(parameters ?? []);
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
