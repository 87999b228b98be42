import 'reflect-metadata';
import { resolve } from 'node:path';
import { buildAppSchema } from '../schema';

/** Writes the SDL type-graphql builds to schema/schema.graphql (committed; CI checks it is fresh). */
async function main(): Promise<void> {
  const path = resolve(process.argv[2] ?? 'schema/schema.graphql');
  await buildAppSchema(path);
  process.stdout.write(`schema written to ${path}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.stack : err}\n`);
  process.exit(1);
});
