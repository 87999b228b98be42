import jwt from 'jsonwebtoken';

const ISSUER = 'agency-graph';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TokenClaims {
  memberId: string;
  agencyId: string;
}

export function signToken(claims: TokenClaims, secret: string, ttlSeconds: number): { token: string; expiresAt: Date } {
  const expiresAt = new Date((Math.floor(Date.now() / 1000) + ttlSeconds) * 1000);
  const token = jwt.sign({ agency: claims.agencyId }, secret, {
    algorithm: 'HS256',
    subject: claims.memberId,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
  return { token, expiresAt };
}

/** The claims of a valid token, or the reason it is refused. */
export function verifyToken(token: string, secret: string): TokenClaims | { problem: string } {
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer: ISSUER }) as jwt.JwtPayload;
    // Signed claims are still checked for shape: a token signed with another build's claims must
    // be refused (UNAUTHENTICATED), not reach SQL as a non-uuid.
    if (typeof payload.sub !== 'string' || typeof payload.agency !== 'string' || !UUID.test(payload.sub) || !UUID.test(payload.agency)) {
      return { problem: 'Malformed token' };
    }
    return { memberId: payload.sub.toLowerCase(), agencyId: payload.agency.toLowerCase() };
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) return { problem: 'Token expired: sign in again' };
    return { problem: 'Invalid token' };
  }
}
