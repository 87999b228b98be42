import { Field, ObjectType } from 'type-graphql';
import { ConnectionType } from '../../common/pagination';
import { DateTime } from '../../common/scalars';
import { Member } from './member.entity';

export const MemberConnection = ConnectionType(Member);

@ObjectType()
export class AuthPayload {
  @Field({ description: 'Send as `Authorization: Bearer <token>`.' })
  token: string;

  @Field(() => DateTime)
  expiresAt: Date;

  @Field(() => Member)
  member: Member;
}
