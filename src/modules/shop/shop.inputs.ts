import { IsInt, Length, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { NotBlank } from '../../common/inputs';
import { ConnectionType } from '../../common/pagination';
import { CountryCode, Currency } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
import { Shop, ShopStatus } from './shop.entity';

export const ShopConnection = ConnectionType(Shop);

@InputType()
@ValidatedByService() // with the time zone, in ShopService.create
export class CreateShopInput {
  @Field(() => ID)
  clientId: string;

  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field({ description: "The shop's id on TikTok Shop; unique within the agency." })
  @Length(1, 100)
  @NotBlank()
  externalId: string;

  @Field(() => CountryCode)
  region: string;

  @Field(() => Currency)
  currency: string;

  @Field({ description: 'IANA time zone, e.g. America/Los_Angeles.' })
  @Length(1, 64)
  timeZone: string;

  @Field(() => Int, { nullable: true, description: 'Commission for affiliate lines with no rate from the line, enrollment or campaign, in basis points (0..10000; default 1000).' })
  @IsInt()
  @Min(0)
  @Max(10000)
  defaultCommissionRateBps?: number | null;

  @Field(() => Int, { nullable: true, description: "The platform's fee on net revenue, in basis points (0..10000; default 800). Applies to lines ingested from then on." })
  @IsInt()
  @Min(0)
  @Max(10000)
  platformFeeBps?: number | null;
}

@InputType({ description: 'Only the fields given change. externalId, region and currency are fixed once the shop exists. Rates apply to lines ingested (or re-sent) from then on.' })
export class UpdateShopInput {
  @Field({ nullable: true })
  @Length(1, 200)
  @NotBlank()
  name?: string;

  @Field(() => ShopStatus, { nullable: true })
  status?: ShopStatus;

  @Field({ nullable: true, description: 'IANA time zone, e.g. America/Los_Angeles.' })
  @Length(1, 64)
  timeZone?: string;

  @Field(() => Int, { nullable: true, description: 'Commission for affiliate lines with no rate from the line, enrollment or campaign, in basis points (0..10000; default 1000).' })
  @IsInt()
  @Min(0)
  @Max(10000)
  defaultCommissionRateBps?: number | null;

  @Field(() => Int, { nullable: true, description: "The platform's fee on net revenue, in basis points (0..10000; default 800). Applies to lines ingested from then on." })
  @IsInt()
  @Min(0)
  @Max(10000)
  platformFeeBps?: number | null;
}
