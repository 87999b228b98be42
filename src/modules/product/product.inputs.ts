import { Length, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { NotBlank } from '../../common/inputs';
import { MoneyInput } from '../../common/money';
import { ConnectionType } from '../../common/pagination';
import { ValidatedByService } from '../../common/validation';
import { Product } from './product.entity';

export const ProductConnection = ConnectionType(Product);

/** At most this many products in one upsertProducts call. */
export const MAX_PRODUCTS_PER_UPSERT = 1000;

@InputType({ description: "A product keyed by SKU within its shop; price and unit cost are in the shop's currency." })
@ValidatedByService() // with the shop's currency and duplicate SKUs, in ProductService.upsert
export class ProductInput {
  @Field()
  @Length(1, 100)
  @NotBlank()
  sku: string;

  @Field()
  @Length(1, 500)
  @NotBlank()
  title: string;

  @Field(() => MoneyInput)
  @ValidateNested()
  price: MoneyInput;

  @Field(() => MoneyInput, { nullable: true, description: 'Cost of goods sold, per unit.' })
  @ValidateNested()
  unitCost?: MoneyInput | null;
}
