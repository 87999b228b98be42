import { Logger, QueryRunner } from 'typeorm';

/** A TypeORM logger that counts the SQL statements the app sends. */
export class SqlCounter implements Logger {
  statements: string[] = [];

  reset(): void {
    this.statements = [];
  }

  get count(): number {
    return this.statements.length;
  }

  logQuery(query: string, _parameters?: unknown[], _runner?: QueryRunner): void {
    this.statements.push(query);
  }

  logQueryError(): void {}
  logQuerySlow(): void {}
  logSchemaBuild(): void {}
  logMigration(): void {}
  log(): void {}
}
