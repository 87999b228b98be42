import { randomUUID } from 'node:crypto';
import { toGlobalId } from '../../src/common/global-id';

/** A well-formed global id of `typeName` that no row has: what another agency's ids must look like. */
export function missingId(typeName: string): string {
  return toGlobalId(typeName, randomUUID());
}
