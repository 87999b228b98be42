import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { bigintMinorTransformer } from '../../common/money';
import { Node } from '../../common/node';
import { DateTime } from '../../common/scalars';
import { Agency } from '../agency/agency.entity';
import { Member } from '../member/member.entity';
import { registerClientScope } from '../../common/tenancy';

export enum ClientStatus {
  ONBOARDING = 'ONBOARDING',
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
  CHURNED = 'CHURNED',
}
registerEnumType(ClientStatus, { name: 'ClientStatus' });

@ObjectType({ implements: Node, description: 'A brand the agency runs TikTok Shop for.' })
@Entity('clients')
@Index(['agencyId', 'createdAt', 'id'])
export class Client implements Node {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  agencyId: string;

  @ManyToOne(() => Agency, { onDelete: 'CASCADE' })
  @JoinColumn()
  agency?: Agency;

  @Field()
  @Column()
  name: string;

  @Field(() => ClientStatus)
  @Column({ type: 'enum', enum: ClientStatus, enumName: 'client_status', default: ClientStatus.ONBOARDING })
  status: ClientStatus;

  @Column('uuid', { nullable: true })
  accountManagerId: string | null;

  @ManyToOne(() => Member, { onDelete: 'SET NULL' })
  @JoinColumn()
  accountManager?: Member;

  @Column('bigint', { nullable: true, transformer: bigintMinorTransformer })
  monthlyGmvTargetMinor: number | null;

  @Column('char', { length: 3, nullable: true })
  monthlyGmvTargetCurrency: string | null;

  @Field(() => DateTime)
  @CreateDateColumn({ type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

registerClientScope(Client, (a) => `"${a}"."id" = :__clientScope`);
