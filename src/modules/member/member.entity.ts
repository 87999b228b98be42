import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Role } from '../../common/context';
import { Node } from '../../common/node';
import { DateTime, EmailAddress } from '../../common/scalars';
import { Agency } from '../agency/agency.entity';
import type { Client } from '../client/client.entity';
import { registerClientScope } from '../../common/tenancy';

registerEnumType(Role, { name: 'Role' });

@ObjectType({ implements: Node, description: 'A person who signs in to an agency.' })
@Entity('members')
export class Member implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn()
  agency?: Agency;

  /** Stored lower-cased; sign-in is by e-mail, so it is unique across agencies. */
  @Field(() => EmailAddress)
  @Column({ unique: true })
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
