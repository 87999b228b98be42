import { OrderStatus } from './ledger.entities';

/**
 * TikTok Shop's order statuses onto the contract's (the README has this table). Keys are
 * normalised: upper case, spaces and hyphens as underscores. `null`: not a sale (UNPAID).
 * The contract's own names map to themselves, so a sync may send either.
 */
export const PLATFORM_STATUS_MAP: Readonly<Record<string, OrderStatus | null>> = {
  UNPAID: null,
  ON_HOLD: OrderStatus.PLACED,
  AWAITING_SHIPMENT: OrderStatus.PLACED,
  PARTIALLY_SHIPPING: OrderStatus.PLACED,
  AWAITING_COLLECTION: OrderStatus.PLACED,
  PLACED: OrderStatus.PLACED,
  IN_TRANSIT: OrderStatus.SHIPPED,
  SHIPPED: OrderStatus.SHIPPED,
  DELIVERED: OrderStatus.DELIVERED,
  COMPLETED: OrderStatus.DELIVERED,
  CANCELLED: OrderStatus.CANCELLED,
  CANCELED: OrderStatus.CANCELLED,
  CANCEL: OrderStatus.CANCELLED,
  REFUNDED: OrderStatus.REFUNDED,
};

export function normalizePlatformStatus(raw: string): string {
  return raw.trim().toUpperCase().replace(/[\s-]+/g, '_');
}

/** The contract status of a platform status: a status, null for "not a sale", undefined when unknown. */
export function mapPlatformStatus(raw: string): OrderStatus | null | undefined {
  const key = normalizePlatformStatus(raw);
  return Object.prototype.hasOwnProperty.call(PLATFORM_STATUS_MAP, key) ? PLATFORM_STATUS_MAP[key] : undefined;
}
