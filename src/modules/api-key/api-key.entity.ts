import { Field, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ApiScope } from '../../common/access';
import { Node } from '../../common/node';
import { DateTime } from '../../common/scalars';
import { Agency } from '../agency/agency.entity';

@ObjectType({ implements: Node, description: 'A key a third-party tool signs in with; its secret is shown once, at creation.' })
@Entity('api_keys')
export class ApiKey implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn()
  agency?: Agency;

  @Field()
  @Column()
  name: string;

  @Field(() => [ApiScope])
  @Column({ type: 'enum', enum: ApiScope, enumName: 'api_scope', array: true })
  scopes: ApiScope[];

  /** The key's public first characters: looked up on every request (unique), shown for recognition. */
  @Field({ description: 'First characters of the key, for recognition; the secret is shown once, at creation.' })
  @Column({ unique: true })
  prefix: string;

  /** SHA-256 of the whole key: keys are long random strings, so a fast hash is enough. */
  @Column()
  secretHash: string;

  @Column('uuid', { nullable: true })
  createdById: string | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field(() => DateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true, precision: 3 })
  lastUsedAt: Date | null;

  @Field(() => DateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true, precision: 3 })
  revokedAt: Date | null;
}
