import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../../common/context';
import { Node } from '../../common/node';
import { DateTime, EmailAddress } from '../../common/scalars';
import { Agency } from '../agency/agency.entity';
import type { Client } from '../client/client.entity';
import { registerClientScope } from '../../common/tenancy';

registerEnumType(Role, { name: 'Role' });

@ObjectType({ implements: Node, description: "A person's membership of one agency: role, password and name are per agency." })
@Entity('members')
// Unique per agency only: a person may belong to several agencies, and an address in another
// agency must neither block nor reveal anything here (see MemberService.login).
@Index('UQ_members_agency_email', ['agencyId', 'email'], { unique: true })
export class Member implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn()
  agency?: Agency;

  /** Stored lower-cased; unique within the agency. Sign-in looks it up across agencies (indexed). */
  @Field(() => EmailAddress)
  @Index('IDX_members_email')
  @Column()
  email: string;

  @Field()
  @Column()
  name: string;

  @Column()
  passwordHash: string;

  @Field(() => Role)
  @Column({ type: 'enum', enum: Role, enumName: 'member_role' })
  role: Role;

  @Column('uuid', { nullable: true })
  clientId: string | null;

  @ManyToOne('Client', { onDelete: 'CASCADE' })
  @JoinColumn()
  client?: Client;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** A deactivated member's tokens stop working at once: every request re-reads this. */
  @Field(() => DateTime, { nullable: true, description: 'Set when an admin deactivated the member; they can no longer sign in.' })
  @Column({ type: 'timestamptz', nullable: true, precision: 3 })
  deactivatedAt: Date | null;
}

// A client viewer sees one member: themselves.
registerClientScope(Member, (a) => `"${a}"."id" = :__memberId`);
