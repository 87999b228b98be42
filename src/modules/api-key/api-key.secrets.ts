import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** API keys look like `agk_1a2b3c4d5e6f_<43 random characters>`; the first 16 characters are the prefix. */
export const API_KEY_MARK = 'agk_';
const PREFIX_LENGTH = API_KEY_MARK.length + 12;

export function newApiKeySecret(): { secret: string; prefix: string; hash: string } {
  const prefix = API_KEY_MARK + randomBytes(6).toString('hex');
  const secret = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix, hash: hashApiKey(secret) };
}

export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function apiKeyPrefix(secret: string): string | null {
  return secret.startsWith(API_KEY_MARK) && secret.length > PREFIX_LENGTH + 1 ? secret.slice(0, PREFIX_LENGTH) : null;
}

export function apiKeyMatches(secret: string, storedHash: string): boolean {
  const actual = Buffer.from(hashApiKey(secret), 'hex');
  const expected = Buffer.from(storedHash, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
