import { Length, ValidateNested } from 'class-validator';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { SortDirection } from '../../common/enums';
import { NotBlank } from '../../common/inputs';
import { MoneyInput } from '../../common/money';
import { ConnectionType } from '../../common/pagination';
import { Client, ClientStatus } from './client.entity';

export const ClientConnection = ConnectionType(Client);

@InputType()
export class ClientFilter {
  @Field(() => [ClientStatus], { nullable: true })
  status?: ClientStatus[] | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' })
  @Length(1, 200)
  search?: string | null;
}

export enum ClientOrderField {
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
}
registerEnumType(ClientOrderField, { name: 'ClientOrderField', valuesConfig: { NAME: { description: 'Case-insensitive.' } } });

@InputType()
export class ClientOrder {
  @Field(() => ClientOrderField)
  field: ClientOrderField;

  @Field(() => SortDirection)
  direction: SortDirection;
}

@InputType()
export class CreateClientInput {
  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => ClientStatus, { nullable: true, description: 'Defaults to ONBOARDING.' })
  status?: ClientStatus | null;

  @Field(() => ID, { nullable: true })
  accountManagerId?: string | null;

  @Field(() => MoneyInput, { nullable: true })
  @ValidateNested()
  monthlyGmvTarget?: MoneyInput | null;
}

@InputType({ description: 'Only the fields given change; null clears accountManagerId and monthlyGmvTarget.' })
export class UpdateClientInput {
  @Field({ nullable: true })
  @Length(1, 200)
  @NotBlank()
  name?: string;

  @Field(() => ClientStatus, { nullable: true })
  status?: ClientStatus;

  @Field(() => ID, { nullable: true })
  accountManagerId?: string | null;

  @Field(() => MoneyInput, { nullable: true })
  @ValidateNested()
  monthlyGmvTarget?: MoneyInput | null;
}
