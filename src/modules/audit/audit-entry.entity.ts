import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Node } from '../../common/node';
import { DateTime } from '../../common/scalars';
import { Agency } from '../agency/agency.entity';

/** One successful mutation: who, what, on which objects, when. Never arguments, passwords or secrets. */
@ObjectType({ implements: Node, description: 'A successful mutation, recorded in the same transaction as its writes.' })
@Entity('audit_log')
@Index(['agencyId', 'createdAt', 'id'])
export class AuditEntry implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn()
  agency?: Agency;

  @Column('uuid', { nullable: true })
  memberId: string | null;

  @Column('uuid', { nullable: true })
  apiKeyId: string | null;

  @Field({ description: 'The mutation, e.g. createCampaign.' })
  @Column()
  operation: string;

  @Field(() => [ID], { description: 'Global ids of the objects the mutation wrote.' })
  @Column('text', { array: true, default: () => "'{}'" })
  targetIds: string[];

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  requestId: string | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
