/**
 * Episode ownership, decided once and purely (README, "Access and governance": an episode
 * belongs to the clinic of its first event; no source can add to, move or retract another
 * clinic's episode). Two places apply it: the ingest's screen, against what is stored before a
 * batch is written, and the projection, over one episode's stored events (the defence behind
 * the screen: a scaled ingest without a warehouse, two batches racing). Both ask
 * `decideOwnership`; neither writes the rule again. No I/O, so it is tested given/when/then.
 */

/** What ownership needs of an event. Ids compare case-insensitively (they are UUIDs). */
export interface OwnershipEvent {
  id: string;
  episodeId: string;
  clinicId: string;
  /** For a retraction, the id of the event it retracts. */
  retracts?: string | undefined;
}

/** Where an event lives: its clinic and its episode. */
export interface EventHome {
  clinicId: string;
  episodeId: string;
}

/** What is known before an event: episodes' owners, and the homes of events by lower-case id. */
export interface OwnershipState {
  owners: ReadonlyMap<string, string>;
  homes: ReadonlyMap<string, EventHome>;
}

/** The rules an event can break. */
export type OwnershipViolation =
  /** The episode belongs to another clinic. */
  | 'foreignEpisode'
  /** A retraction names an event of another clinic. */
  | 'foreignRetraction'
  /** A retraction names an event of another episode (of the same clinic). */
  | 'otherEpisodeRetraction';

export const NO_OWNERSHIP: OwnershipState = { owners: new Map(), homes: new Map() };

/**
 * The rules an event breaks, given what is known; none: it may be written. A retraction of an
 * event not known is accepted: events arrive late, and one naming nothing retracts nothing.
 */
export function decideOwnership(
  state: OwnershipState,
  event: OwnershipEvent,
): OwnershipViolation[] {
  const violations: OwnershipViolation[] = [];
  const owner = state.owners.get(event.episodeId);
  if (owner !== undefined && owner !== event.clinicId) violations.push('foreignEpisode');
  if (event.retracts !== undefined) {
    const home = state.homes.get(event.retracts.toLowerCase());
    if (home !== undefined && home.clinicId !== event.clinicId) {
      violations.push('foreignRetraction');
    } else if (home !== undefined && home.episodeId !== event.episodeId) {
      violations.push('otherEpisodeRetraction');
    }
  }
  return violations;
}

/**
 * What is known after an accepted event: the first accepted event of an episode makes its
 * clinic the owner; its home is known from then on (the first copy of an id wins, as the store
 * keeps the first copy). A refused event changes nothing.
 */
export function evolveOwnership(state: OwnershipState, event: OwnershipEvent): OwnershipState {
  const id = event.id.toLowerCase();
  const known = state.owners.has(event.episodeId);
  const housed = state.homes.has(id);
  if (known && housed) return state;
  return {
    owners: known ? state.owners : new Map(state.owners).set(event.episodeId, event.clinicId),
    homes: housed
      ? state.homes
      : new Map(state.homes).set(id, { clinicId: event.clinicId, episodeId: event.episodeId }),
  };
}

/**
 * Events decided in order from a state: each is judged against what was known before it plus
 * the events accepted ahead of it. The violations of each, by index (empty: accepted).
 */
export function decideAll(
  state: OwnershipState,
  events: readonly OwnershipEvent[],
): OwnershipViolation[][] {
  let known = state;
  return events.map((event) => {
    const violations = decideOwnership(known, event);
    if (violations.length === 0) known = evolveOwnership(known, event);
    return violations;
  });
}

/** When an event was recorded, for the order of an episode's stored events. */
export interface RecordedOwnershipEvent extends OwnershipEvent {
  /** ISO time the ingest stamped (never `occurredOn`, which a source chooses). */
  recordedAt: string;
}

/**
 * The state of episodes as stored: each belongs to the clinic of its first recorded event
 * (earliest `recordedAt`, then the id's text), and every stored event has its home (the first
 * copy of an id). It depends only on the stored events, so a replay decides as the incremental
 * projection did.
 */
export function storedOwnership(events: readonly RecordedOwnershipEvent[]): OwnershipState {
  const first = new Map<string, RecordedOwnershipEvent>();
  const homes = new Map<string, EventHome>();
  for (const event of events) {
    const current = first.get(event.episodeId);
    if (current === undefined || isEarlier(event, current)) first.set(event.episodeId, event);
    const id = event.id.toLowerCase();
    if (!homes.has(id)) homes.set(id, { clinicId: event.clinicId, episodeId: event.episodeId });
  }
  const owners = new Map([...first].map(([episode, event]) => [episode, event.clinicId]));
  return { owners, homes };
}

function isEarlier(a: RecordedOwnershipEvent, b: RecordedOwnershipEvent): boolean {
  const at = Date.parse(a.recordedAt);
  const bt = Date.parse(b.recordedAt);
  return at < bt || (at === bt && a.id.toLowerCase() < b.id.toLowerCase());
}
