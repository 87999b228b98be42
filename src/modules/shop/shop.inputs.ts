import { Length } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
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
}

@InputType({ description: 'Only the fields given change. externalId, region and currency are fixed once the shop exists.' })
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
}
