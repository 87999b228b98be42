/** The contract's scalars, from graphql-scalars, under one import. */
export {
  CountryCodeResolver as CountryCode,
  CurrencyResolver as Currency,
  DateTimeResolver as DateTime,
  EmailAddressResolver as EmailAddress,
  JSONObjectResolver as JSONObject,
  LocalDateResolver as LocalDate,
  NonNegativeIntResolver as NonNegativeInt,
  SafeIntResolver as SafeInt,
  URLResolver as URL,
} from 'graphql-scalars';
