import { EntityManager } from 'typeorm';
import type { RequestContext } from '../../common/context';
import { scopedQuery } from '../../common/tenancy';
import { EnrollmentEvent } from './enrollment-event.entity';
import { EnrollmentStatus } from './enrollment.entity';

export interface EnrollmentMove {
  enrollmentId: string;
  from: EnrollmentStatus | null;
  to: EnrollmentStatus;
}

/**
 * Writes enrollment moves, inside the transaction that made them: who (member or API key), which
 * mutation, when. Every path that changes an enrollment's status calls this.
 */
export async function recordEnrollmentMoves(ctx: RequestContext, em: EntityManager, moves: EnrollmentMove[]): Promise<void> {
  if (moves.length === 0) return;
  await em.insert(
    EnrollmentEvent,
    moves.map((m) => ({
      agencyId: ctx.agencyId,
      enrollmentId: m.enrollmentId,
      fromStatus: m.from,
      toStatus: m.to,
      memberId: ctx.viewer?.memberId ?? null,
      apiKeyId: ctx.viewer?.apiKeyId ?? null,
      operation: ctx.operation,
    })),
  );
}

/** CampaignEnrollment.history: every move of many enrollments in one statement, oldest first. */
export function enrollmentHistory(ctx: RequestContext, enrollmentId: string): Promise<EnrollmentEvent[]> {
  return ctx.loaders
    .manyBy<EnrollmentEvent>('CampaignEnrollment.history', async (ids) => {
      const rows = await scopedQuery(ctx, EnrollmentEvent, 'ev')
        .andWhere('ev.enrollmentId IN (:...ids)', { ids })
        .orderBy('ev.createdAt', 'ASC')
        .addOrderBy('ev.id', 'ASC')
        .getMany();
      const grouped = new Map<string, EnrollmentEvent[]>();
      for (const row of rows) {
        const list = grouped.get(row.enrollmentId);
        if (list) list.push(row);
        else grouped.set(row.enrollmentId, [row]);
      }
      return grouped;
    })
    .load(enrollmentId);
}
