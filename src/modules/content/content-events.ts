import { EntityManager } from 'typeorm';

/**
 * Domain events of the creator workflow, for the alerts work to turn into CONTENT_LIVE and
 * CONTENT_OVERDUE alerts. Listeners run INSIDE the transaction that raised the event, with its
 * EntityManager: an alert row written there commits or rolls back with the change itself
 * ("alerts are rows first"); publish to subscribers after commit. A listener that throws rolls
 * the change back, so listeners should only write rows.
 *
 * - CONTENT_LIVE: markContentLive, once per piece of content.
 * - CONTENT_OVERDUE: sweepOverdueContent, once per piece and reason: REVIEW (a SUBMITTED revision
 *   past its review due time; again for a later revision) or POST (not live past its posting due
 *   time; again if a resubmission changes dueAt).
 */
export type ContentEventKind = 'CONTENT_LIVE' | 'CONTENT_OVERDUE';

export interface ContentEvent {
  kind: ContentEventKind;
  /** For CONTENT_OVERDUE: what is late. */
  reason?: 'REVIEW' | 'POST';
  agencyId: string;
  shopId: string;
  campaignId: string;
  enrollmentId: string;
  creatorId: string;
  contentId: string;
  /** When it happened: posted time for LIVE, the sweep's clock for OVERDUE. */
  at: Date;
}

export type ContentEventListener = (em: EntityManager, event: ContentEvent) => Promise<void> | void;

const listeners = new Set<ContentEventListener>();

/** Registers a listener; returns the function that removes it. */
export function onContentEvent(listener: ContentEventListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called by the content service inside the transaction that made the change. */
export async function emitContentEvent(em: EntityManager, event: ContentEvent): Promise<void> {
  for (const listener of listeners) await listener(em, event);
}
