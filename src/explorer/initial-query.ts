import { DEMO_ADMIN_EMAIL, DEMO_ADMIN_PASSWORD, DEMO_LOGINS } from '../cli/demo-data';

/** The login the explorer opens with: valid GraphQL, so "Send Request" works as it stands. */
export const EXPLORER_LOGIN_EXAMPLE = `mutation {
  login(email: "${DEMO_ADMIN_EMAIL}", password: "${DEMO_ADMIN_PASSWORD}") {
    token
    expiresAt
  }
}`;

/**
 * What the explorer's editor shows first: how to sign in and send the token, then a login
 * mutation that runs as it stands. The demo logins are listed only where the demo data is loaded.
 */
export function explorerInitialQuery(seedDemo: boolean): string {
  const lines = [
    'Agency Graph explorer (Altair, served by this API: it works offline).',
    '',
    '1. Sign in: run the login mutation below ("Send Request", or Ctrl+Enter).',
    '   Put your own e-mail and password in it if you have an account.',
    '2. Copy the "token" from the result.',
    '3. Click "Set Headers" (the first icon in the left-hand bar), fill in',
    '   Header key: Authorization   Header value: Bearer <token>   and press Done.',
    '4. Replace this text with a query and send it, for example:',
    '     { clients(first: 5) { edges { node { name } } } }',
    '   The "Docs" button lists every query, mutation, type and field.',
  ];
  if (seedDemo) {
    const width = Math.max(...DEMO_LOGINS.map((l) => l.role.length));
    lines.push('', `Demo logins (one per role; the password of each is "${DEMO_ADMIN_PASSWORD}"):`);
    for (const login of DEMO_LOGINS) lines.push(`  ${login.role.padEnd(width)}  ${login.email}`);
  }
  return `${lines.map((line) => (line ? `# ${line}` : '#')).join('\n')}\n${EXPLORER_LOGIN_EXAMPLE}\n`;
}
