import jwt from 'jsonwebtoken';
import { signToken, verifyToken } from '../src/common/tokens';

/** verifyToken keeps the tokens it verified: a kept token still expires, and nothing else changes. */
const SECRET = 'test-secret-that-is-at-least-32-characters-long';
const claims = { memberId: '0b4e7f2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', agencyId: '1b4e7f2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' };

afterEach(() => jest.restoreAllMocks());

it('answers a verified token again from memory, and refuses it once it expires', () => {
  const { token, expiresAt } = signToken(claims, SECRET, 60);
  expect(verifyToken(token, SECRET)).toEqual(claims);
  expect(verifyToken(token, SECRET)).toEqual(claims);
  jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime() - 1000);
  expect(verifyToken(token, SECRET)).toEqual(claims);
  jest.spyOn(Date, 'now').mockReturnValue(expiresAt.getTime());
  expect(verifyToken(token, SECRET)).toEqual({ problem: 'Token expired: sign in again' });
  expect(verifyToken(token, SECRET)).toEqual({ problem: 'Token expired: sign in again' });
});

it('does not accept a kept token under another secret', () => {
  const { token } = signToken(claims, SECRET, 60);
  expect(verifyToken(token, SECRET)).toEqual(claims);
  expect(verifyToken(token, `${SECRET}-other`)).toEqual({ problem: 'Invalid token' });
});

it('checks a token with a not-before time in full every time', () => {
  const token = jwt.sign({ agency: claims.agencyId }, SECRET, { algorithm: 'HS256', subject: claims.memberId, issuer: 'agency-graph', expiresIn: 60, notBefore: 30 });
  expect(verifyToken(token, SECRET)).toEqual({ problem: 'Invalid token' });
  jest.spyOn(Date, 'now').mockReturnValue(Date.now() + 31_000);
  expect(verifyToken(token, SECRET)).toEqual(claims);
});
