import { Field, ObjectType } from 'type-graphql';
import { ApiKey } from './api-key.entity';

@ObjectType()
export class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey: ApiKey;

  @Field({ description: 'The full secret. Returned only here; stored only as a hash. Send as `Authorization: Bearer <secret>`.' })
  secret: string;
}
