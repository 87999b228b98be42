import { Foundation1795241307052 } from './1795241307052-Foundation';

/**
 * Every migration, in order. The DataSource imports this list (rather than a glob) so the
 * compiled app, ts-node, jest and the TypeORM CLI all run the same migrations.
 */
export const migrations = [Foundation1795241307052];
