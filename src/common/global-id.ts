import { AppError } from './errors';

/**
 * Opaque global ids: base64url("<TypeName>:<uuid>"). Clients never parse them; the server
 * decodes them to find the type (for `node`) and to reject an id of the wrong type.
 */
export function toGlobalId(typeName: string, key: string): string {
  return Buffer.from(`${typeName}:${key}`, 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DecodedId {
  typeName: string;
  key: string;
}

/** Returns null when the string is not an id this server issued. */
export function parseGlobalId(id: string): DecodedId | null {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200 || !/^[A-Za-z0-9_-]+$/.test(id)) return null;
  const decoded = Buffer.from(id, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  const typeName = decoded.slice(0, colon);
  const key = decoded.slice(colon + 1);
  if (!/^[A-Za-z]+$/.test(typeName) || !UUID.test(key)) return null;
  return { typeName, key: key.toLowerCase() };
}

/**
 * Decodes an id that must be of `typeName`; `path` names the input field for the error
 * (BAD_USER_INPUT with `extensions.fields[path]`).
 */
export function decodeId(typeName: string, id: string, path = 'id'): string {
  const decoded = parseGlobalId(id);
  if (!decoded) throw AppError.badField(path, `Not a valid ${typeName} id`);
  if (decoded.typeName !== typeName) {
    throw AppError.badField(path, `Expected a ${typeName} id, got a ${decoded.typeName} id`);
  }
  return decoded.key;
}

/** Decodes a list of ids of one type, reporting the index of the first bad one. */
export function decodeIds(typeName: string, ids: readonly string[], path: string): string[] {
  return ids.map((id, i) => decodeId(typeName, id, `${path}.${i}`));
}
