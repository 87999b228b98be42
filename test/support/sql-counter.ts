import { Logger, QueryRunner } from 'typeorm';

/** TenantScope.open's statement (the agency setting and the member re-read), and transaction control. */
const SIGN_IN = /^\s*(SELECT set_config\('app\.agency_id'|SELECT id, agency_id, role, client_id, deactivated_at FROM app_enter\(|START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i;

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

  /** The statements beyond signing in (the member re-read, with the agency setting) and transaction control. */
  get work(): string[] {
    return this.statements.filter((s) => !SIGN_IN.test(s));
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
