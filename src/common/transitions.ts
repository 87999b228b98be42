import { AppError, ErrorCode } from './errors';

/** Allowed moves of a state machine: state -> states it may move to. */
export type Transitions<S extends string> = Record<S, readonly S[]>;

/** Throws INVALID_TRANSITION naming the allowed moves when `from -> to` is not one of them. */
export function assertTransition<S extends string>(entity: string, moves: Transitions<S>, from: S, to: S): void {
  const allowed = moves[from];
  if (allowed.includes(to)) return;
  const list = allowed.length ? allowed.join(', ') : 'none (it is final)';
  throw new AppError(ErrorCode.INVALID_TRANSITION, `${entity} cannot move from ${from} to ${to}; allowed from ${from}: ${list}`, {
    from,
    to,
    allowed: [...allowed],
  });
}
