/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type CampaignFilter = {
  /** Campaigns running on this day: started, and not ended before it. */
  activeOn?: string | null | undefined;
  clientId?: string | number | null | undefined;
  objective?: Array<CampaignObjective> | null | undefined;
  /** Case-insensitive substring of the name. */
  search?: string | null | undefined;
  shopId?: string | number | null | undefined;
  status?: Array<CampaignStatus> | null | undefined;
};

export type CampaignObjective =
  | 'AWARENESS'
  | 'LAUNCH'
  | 'SALES';

export type CampaignStatus =
  | 'ACTIVE'
  | 'CANCELLED'
  | 'COMPLETED'
  | 'DRAFT'
  | 'PAUSED';

export type ClientStatus =
  | 'ACTIVE'
  | 'CHURNED'
  | 'ONBOARDING'
  | 'PAUSED';

export type EnrollmentStatus =
  | 'ACCEPTED'
  | 'CONTENT_IN_REVIEW'
  | 'DECLINED'
  | 'INVITED'
  | 'POSTED'
  | 'REMOVED'
  | 'SAMPLE_DELIVERED'
  | 'SAMPLE_SHIPPED';

export type Role =
  | 'ACCOUNT_MANAGER'
  | 'AGENCY_ADMIN'
  | 'ANALYST'
  | 'CLIENT_VIEWER'
  | 'SENIOR_ACCOUNT_MANAGER';

export type CampaignListQueryVariables = Exact<{
  filter?: CampaignFilter | null | undefined;
  first?: number | null | undefined;
}>;


export type CampaignListQuery = { campaigns: { edges: Array<{ node: { id: string, name: string, status: CampaignStatus } }> } };

export type CampaignWithEnrollmentsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type CampaignWithEnrollmentsQuery = { node:
    | { __typename: 'Agency' }
    | { __typename: 'ApiKey' }
    | { __typename: 'AuditEntry' }
    | { __typename: 'Campaign', id: string, name: string, status: CampaignStatus, objective: CampaignObjective, startDate: string, endDate: string | null, budget: { amountMinor: number, currency: string } | null, shop: { name: string, currency: string }, enrollments: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ node: { id: string, status: EnrollmentStatus, contentDueDate: string | null, creator: { handle: string, followerCount: number } } }> } }
    | { __typename: 'CampaignEnrollment' }
    | { __typename: 'Client' }
    | { __typename: 'Content' }
    | { __typename: 'Creator' }
    | { __typename: 'Member' }
    | { __typename: 'Order' }
    | { __typename: 'OutreachMessage' }
    | { __typename: 'OutreachTemplate' }
    | { __typename: 'Product' }
    | { __typename: 'Sample' }
    | { __typename: 'Shop' }
   | null };

export type ClientsPageQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ClientsPageQuery = { clients: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, name: string, status: ClientStatus, createdAt: string, monthlyGmvTarget: { amountMinor: number, currency: string } | null } }> } };

export type SignInMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type SignInMutation = { login: { token: string, expiresAt: string, member: { name: string, role: Role } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CampaignListDocument = new TypedDocumentString(`
    query CampaignList($filter: CampaignFilter, $first: Int = 20) {
  campaigns(filter: $filter, first: $first) {
    edges {
      node {
        id
        name
        status
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CampaignListQuery, CampaignListQueryVariables>;
export const CampaignWithEnrollmentsDocument = new TypedDocumentString(`
    query CampaignWithEnrollments($id: ID!, $first: Int = 50, $after: String) {
  node(id: $id) {
    __typename
    ... on Campaign {
      id
      name
      status
      objective
      startDate
      endDate
      budget {
        amountMinor
        currency
      }
      shop {
        name
        currency
      }
      enrollments(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            status
            contentDueDate
            creator {
              handle
              followerCount
            }
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CampaignWithEnrollmentsQuery, CampaignWithEnrollmentsQueryVariables>;
export const ClientsPageDocument = new TypedDocumentString(`
    query ClientsPage($first: Int = 20, $after: String) {
  clients(first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        name
        status
        createdAt
        monthlyGmvTarget {
          amountMinor
          currency
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ClientsPageQuery, ClientsPageQueryVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($email: EmailAddress!, $password: String!) {
  login(email: $email, password: $password) {
    token
    expiresAt
    member {
      name
      role
    }
  }
}
    `) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;