/**
 * GraphQL Code Generator recipe for a typed client of the Agency Graph API.
 *
 *   npm run codegen:client
 *
 * reads the API's schema (schema/schema.graphql) and the operations in
 * examples/client/operations/*.graphql, and writes examples/client/generated/graphql.ts: one
 * typed document per operation (result and variables types included) that any fetch-based
 * client can send. Documents are plain strings (`documentMode: 'string'`), so a browser bundle
 * needs no `graphql` runtime. Copy this file into a frontend repository and point `schema` at
 * the served SDL (or at https://<api>/graphql for introspection, where it is switched on).
 *
 * CODEGEN_CLIENT_OUT redirects the output (the test writes to a temporary file to check that the
 * committed one is fresh).
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

const output = process.env.CODEGEN_CLIENT_OUT ?? 'examples/client/generated/graphql.ts';

const config: CodegenConfig = {
  overwrite: true,
  schema: 'schema/schema.graphql',
  documents: 'examples/client/operations/**/*.graphql',
  generates: {
    [output]: {
      plugins: ['typescript-operations', 'typed-document-node'],
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        // Custom scalars as they travel in JSON. Money amounts are integer minor units.
        strictScalars: true,
        scalars: {
          DateTime: 'string',
          LocalDate: 'string',
          Currency: 'string',
          CountryCode: 'string',
          EmailAddress: 'string',
          URL: 'string',
          SafeInt: 'number',
          NonNegativeInt: 'number',
          JSONObject: 'Record<string, unknown>',
        },
      },
    },
  },
};

export default config;
