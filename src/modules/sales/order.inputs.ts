import { ValidateNested } from 'class-validator';
import { SafeIntResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { MoneyInput } from '../../common/money';
import { ListBound } from '../../common/limits';
import { ConnectionType } from '../../common/pagination';
import { DateTime, LocalDate } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
import { OrderContentType, OrderLine, OrderStatus } from './ledger.entities';

export const OrderConnection = ConnectionType(OrderLine, 'Order');

/** At most this many order lines (or daily stat rows) in one ingest call. */
export const MAX_INGEST_BATCH = 1000;

/** Why a row of an ingest batch was rejected (IngestError.code). */
export enum IngestErrorCode {
  UNKNOWN_PRODUCT = 'UNKNOWN_PRODUCT',
  UNKNOWN_CREATOR = 'UNKNOWN_CREATOR',
  UNKNOWN_CAMPAIGN = 'UNKNOWN_CAMPAIGN',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  REFUND_EXCEEDS_GMV = 'REFUND_EXCEEDS_GMV',
  INVALID_QUANTITY = 'INVALID_QUANTITY',
  FUTURE_DATE = 'FUTURE_DATE',
  INVALID_VALUE = 'INVALID_VALUE',
  /** An UNPAID platform order: not a sale (yet); send the line again once it is paid. */
  NOT_A_SALE = 'NOT_A_SALE',
}

@InputType({
  description:
    'One order line, upserted by externalId within the shop. Give status, or platformStatus as the platform sent it ' +
    '(mapped, see the README), or both (status wins; platformStatus is kept). Money in the shop currency, as amountMinor or a decimal amount.',
})
@ValidatedByService() // every problem is a per-row rejection, in IngestService.ingestOrders
export class OrderInput {
  @Field({ description: "The line's id on the platform (18–19 digits, as a string)." })
  externalId: string;

  @Field(() => String, { nullable: true, description: 'The platform order id several lines share; defaults to externalId. Orders are counted by it.' })
  orderId?: string | null;

  @Field(() => String, { nullable: true, description: 'A SKU of the shop; unknown SKUs are rejected (UNKNOWN_PRODUCT).' })
  productSku?: string | null;

  @Field(() => String, { nullable: true, description: "The affiliate's TikTok handle ('@' and case do not matter); unknown handles are rejected." })
  creatorHandle?: string | null;

  @Field(() => String, { nullable: true, description: "The video the sale came from: attributes to that content's campaign (and creator) when the content exists." })
  videoId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Attributes the line to this campaign of the shop, before any other rule.' })
  campaignId?: string | null;

  @Field(() => OrderStatus, { nullable: true, description: 'Required unless platformStatus is given.' })
  status?: OrderStatus | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The status as the platform sent it: TikTok Shop statuses (ON_HOLD, AWAITING_SHIPMENT, PARTIALLY_SHIPPING, AWAITING_COLLECTION, ' +
      'IN_TRANSIT, DELIVERED, COMPLETED, CANCELLED/CANCEL, UNPAID) or this API\'s; case, spaces and hyphens do not matter. UNPAID is rejected (NOT_A_SALE).',
  })
  platformStatus?: string | null;

  @Field(() => Int, { description: 'At least 1 (INVALID_QUANTITY otherwise).' })
  quantity: number;

  @Field(() => MoneyInput, { description: 'GMV of the line, in the shop currency.' })
  @ValidateNested()
  gmv: MoneyInput;

  @Field(() => MoneyInput, {
    nullable: true,
    description: 'Refunded so far, at most the GMV. A REFUNDED line without it is refunded in full; a partial refund may come with any other status.',
  })
  @ValidateNested()
  refundedAmount?: MoneyInput | null;

  @Field(() => DateTime, { description: 'When the order was placed; not in the future. Its calendar day in the shop time zone is the day it counts on.' })
  placedAt: Date;

  @Field(() => OrderContentType, { nullable: true })
  contentType?: OrderContentType | null;

  @Field(() => Int, { nullable: true, description: 'The commission rate the platform reports for this affiliate line (0..10000 bps); wins over every other rate.' })
  commissionRateBps?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'A free sample order: never GMV nor commission; counted as sample cost. Default false.' })
  isSample?: boolean | null;
}

@InputType({
  description:
    'Engagement and ad spend of one day, for one video (videoId) or one campaign (campaignId), upserted by (date, subject). ' +
    'Send each view once: on its video or on its campaign. Counts left out are 0.',
})
@ValidatedByService() // per-row rejections, in IngestService.ingestDailyStats
export class DailyStatInput {
  @Field(() => LocalDate)
  date: string;

  @Field(() => String, { nullable: true })
  videoId?: string | null;

  @Field(() => ID, { nullable: true })
  campaignId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "For a video's row: the creator who posted it, when no content with that video id exists (content's creator wins otherwise).",
  })
  creatorHandle?: string | null;

  @Field(() => SafeIntResolver, { nullable: true }) views?: number | null;
  @Field(() => SafeIntResolver, { nullable: true }) likes?: number | null;
  @Field(() => SafeIntResolver, { nullable: true }) comments?: number | null;
  @Field(() => SafeIntResolver, { nullable: true }) shares?: number | null;
  @Field(() => SafeIntResolver, { nullable: true }) clicks?: number | null;

  @Field(() => MoneyInput, { nullable: true, description: 'In the shop currency.' })
  @ValidateNested()
  adSpend?: MoneyInput | null;
}

@InputType()
export class OrderFilter {
  @Field(() => [OrderStatus], { nullable: true, description: 'Lines in any of these states.' })
  status?: OrderStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Lines attributed to this creator.' })
  creatorId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Lines attributed to this campaign.' })
  campaignId?: string | null;
}

@ObjectType({ description: 'A row of an ingest batch that was not written, and why.' })
export class IngestError {
  @Field(() => Int, { description: 'Position of the row in the batch (from 0).' })
  index: number;

  @Field(() => String, { nullable: true })
  externalId: string | null;

  @Field({
    description:
      'UNKNOWN_PRODUCT, UNKNOWN_CREATOR, UNKNOWN_CAMPAIGN, CURRENCY_MISMATCH, REFUND_EXCEEDS_GMV, INVALID_QUANTITY, FUTURE_DATE, INVALID_VALUE or NOT_A_SALE.',
  })
  code: string;

  @Field()
  message: string;

  constructor(index: number, externalId: string | null, code: IngestErrorCode, message: string) {
    this.index = index;
    this.externalId = externalId;
    this.code = code;
    this.message = message;
  }
}

@ObjectType({ description: 'What an ingest batch did: the good rows committed, the bad ones are listed.' })
export class IngestResult {
  @Field(() => Int) inserted = 0;
  @Field(() => Int) updated = 0;
  @Field(() => Int, { description: 'Rows identical to what was stored (a retried batch).' }) unchanged = 0;
  @Field(() => [IngestError])
  @ListBound(MAX_INGEST_BATCH)
  rejected: IngestError[] = [];
}
