/** A member's role in their agency (README: "Who may do what"). Kept free of imports: many modules need it. */
export enum Role {
  AGENCY_ADMIN = 'AGENCY_ADMIN',
  SENIOR_ACCOUNT_MANAGER = 'SENIOR_ACCOUNT_MANAGER',
  ACCOUNT_MANAGER = 'ACCOUNT_MANAGER',
  ANALYST = 'ANALYST',
  CLIENT_VIEWER = 'CLIENT_VIEWER',
}
