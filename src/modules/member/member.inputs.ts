import { Length } from 'class-validator';
import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Role } from '../../common/context';
import { NotBlank } from '../../common/inputs';
import { ConnectionType } from '../../common/pagination';
import { DateTime, EmailAddress } from '../../common/scalars';
import { ValidatedByService } from '../../common/validation';
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

/** The password rule of every member: the same for createMember and changePassword. */
export const PASSWORD_LENGTH = { min: 10, max: 200 } as const;

@ArgsType()
export class ChangePasswordArgs {
  @Field({ description: 'The password the member signs in with now.' })
  currentPassword: string;

  @Field({ description: `At least ${PASSWORD_LENGTH.min} characters, and not the current one.` })
  @Length(PASSWORD_LENGTH.min, PASSWORD_LENGTH.max)
  newPassword: string;
}

@ObjectType({ description: 'The result of changePassword; a payload so it can grow (e.g. a fresh token) without breaking clients.' })
export class ChangePasswordPayload {
  @Field(() => Member)
  member: Member;
}

@InputType({ description: 'A new member; CLIENT_VIEWER members need the one client they may see.' })
@ValidatedByService() // with the role's client, in MemberService.create
export class CreateMemberInput {
  @Field(() => EmailAddress)
  email: string;

  @Field()
  @Length(1, 200)
  @NotBlank()
  name: string;

  @Field(() => Role)
  role: Role;

  @Field(() => ID, { nullable: true, description: 'Required for CLIENT_VIEWER, refused for other roles.' })
  clientId?: string | null;

  @Field({ description: `Initial password, at least ${PASSWORD_LENGTH.min} characters; the member should change it (changePassword).` })
  @Length(PASSWORD_LENGTH.min, PASSWORD_LENGTH.max)
  password: string;
}
