import type { CatalogEvent } from '@ipt/events';
import type { Pseudonymizer } from '@ipt/events/client';
import type { Adaptation, Modality } from '@ipt/protocol';
import type { FhirEntry } from './input.js';
import { type EpisodeOfCare, type MappedResourceType, RESOURCE_SCHEMAS } from './resources.js';

/** What a mapping is told: the clinic, its pseudonymizer, and its IPT programme. */
export interface FhirMappingOptions {
  /** The clinic code the source key may write, e.g. `north-01`. */
  readonly clinicId: string;
  /** The clinic's pseudonymizer: its secret never leaves the clinic. */
  readonly pseudonymizer: Pseudonymizer;
  /**
   * The clinic's IPT programme, for what an EpisodeOfCare does not say (an extension on the
   * episode overrides it). Without either, the episode is reported, not guessed.
   */
  readonly programme?: {
    readonly adaptation?: Adaptation;
    readonly modality?: Modality;
    readonly plannedSessions?: number;
  };
}

export interface FhirProblem {
  /** `Encounter/881`, or where in the input for what has no id. */
  readonly resource: string;
  readonly message: string;
}

/** An episode as the resources place it: from its EpisodeOfCare, or from a reference alone. */
export interface EpisodeContext {
  readonly localEpisodeId: string;
  readonly localClientId: string;
  readonly resource?: EpisodeOfCare;
  readonly start?: string;
  readonly end?: string;
  readonly modality?: Modality;
  readonly therapistId?: string;
}

/** A session attended, for placing the scores and medication changes of its day. */
export interface SessionPlace {
  readonly episode: EpisodeContext;
  readonly sessionNumber: number;
  readonly day: string;
}

/**
 * One mapping's state, shared by its steps (episodes, encounters, scores, medication): the
 * resources indexed once, the problems reported, the events drafted (checked against the
 * contract at the end), and the episodes and sessions placed so far.
 */
export class MappingRun {
  readonly problems: FhirProblem[] = [];
  readonly drafts: { key: string; draft: Record<string, unknown> }[] = [];
  readonly episodes = new Map<string, EpisodeContext>();
  readonly sessions = new Map<string, SessionPlace>();
  private readonly byKey = new Map<string, { type: MappedResourceType; value: unknown }>();
  private readonly aliases = new Map<string, string>();

  constructor(
    input: readonly FhirEntry[],
    readonly options: FhirMappingOptions,
  ) {
    this.index(input);
  }

  get pseudo(): Pseudonymizer {
    return this.options.pseudonymizer;
  }

  report(resource: string, message: string): void {
    this.problems.push({ resource, message });
  }

  /** Read and index: every resource once, by `Type/id` and by its bundle fullUrl. */
  private index(input: readonly FhirEntry[]): void {
    const ignored = new Map<string, number>();
    for (const entry of input) {
      const type = (entry.resource as { resourceType?: unknown }).resourceType;
      if (typeof type !== 'string' || !(type in RESOURCE_SCHEMAS)) {
        ignored.set(String(type), (ignored.get(String(type)) ?? 0) + 1);
        continue;
      }
      const schema = RESOURCE_SCHEMAS[type as MappedResourceType];
      const parsed = schema.safeParse(entry.resource);
      const rawId = (entry.resource as { id?: unknown }).id;
      const label = typeof rawId === 'string' ? `${type}/${rawId}` : `${type} at ${entry.at}`;
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        this.report(label, `${issue?.path.join('.') || 'resource'}: ${issue?.message}`);
        continue;
      }
      const key = `${type}/${parsed.data.id}`;
      if (this.byKey.has(key))
        this.report(key, 'appears twice in the input: the later one is mapped');
      this.byKey.set(key, { type: type as MappedResourceType, value: parsed.data });
      if (entry.fullUrl !== undefined) this.aliases.set(entry.fullUrl, key);
    }
    for (const [type, count] of ignored) {
      if (type !== 'Practitioner' && type !== 'Questionnaire' && type !== 'Organization') {
        this.report(
          type,
          `${count} resource(s) of this type are not mapped to events and were skipped`,
        );
      }
    }
  }

  all<T>(type: MappedResourceType): T[] {
    return [...this.byKey.values()].filter((r) => r.type === type).map((r) => r.value as T);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** `Patient/12`, `https://ehr/fhir/Patient/12` or a bundle's `urn:uuid:...` to `Type/id`. */
  resolve(reference: string | undefined, type: string): string | undefined {
    if (reference === undefined) return undefined;
    const aliased = this.aliases.get(reference);
    if (aliased !== undefined) return aliased.startsWith(`${type}/`) ? aliased : undefined;
    const match = new RegExp(`(?:^|/)${type}/([A-Za-z0-9\\-.]{1,64})(?:/_history/.*)?$`).exec(
      reference,
    );
    return match === null ? undefined : `${type}/${match[1]}`;
  }

  get<T>(key: string | undefined): T | undefined {
    return key === undefined ? undefined : (this.byKey.get(key)?.value as T | undefined);
  }

  /** The episode of a reference to an EpisodeOfCare, from the input or from the reference alone. */
  episodeOf(
    reference: string | undefined,
    subject: string | undefined,
  ): EpisodeContext | undefined {
    const key = this.resolve(reference, 'EpisodeOfCare');
    if (key === undefined) return undefined;
    const known = this.episodes.get(key);
    if (known !== undefined) return known;
    const patientKey = this.resolve(subject, 'Patient');
    return patientKey === undefined
      ? undefined
      : { localEpisodeId: localId(key), localClientId: localId(patientKey) };
  }

  sessionsOf(episode: EpisodeContext): SessionPlace[] {
    return [...this.sessions.values()].filter((s) => s.episode === episode);
  }

  emit(
    key: string,
    type: CatalogEvent['type'],
    episode: EpisodeContext,
    day: string,
    payload: object,
  ): void {
    const pseudo = this.pseudo;
    this.drafts.push({
      key,
      draft: {
        id: pseudo.eventId(`${key}/${type}`),
        type,
        schemaVersion: 1,
        clinicId: this.options.clinicId,
        clientId: pseudo.clientId(episode.localClientId),
        episodeId: pseudo.episodeId(episode.localEpisodeId),
        occurredOn: pseudo.shiftDate(episode.localClientId, day),
        payload,
      },
    });
  }

  retract(key: string, type: CatalogEvent['type'], episode: EpisodeContext, day: string): void {
    this.emit(`${key}/retraction`, 'event.retracted', episode, day, {
      eventId: this.pseudo.eventId(`${key}/${type}`),
      reason: 'entered_in_error',
    });
  }

  /**
   * A record at `meta.versionId` n > 1 is sent under a key of that version, and the events of its
   * earlier versions are retracted (a retraction of an id never sent is accepted): a corrected
   * score or session replaces the earlier one instead of standing beside it. Version 1 and a
   * record without a version share the plain key.
   */
  versioned(
    key: string,
    resource: { meta?: { versionId?: string } | undefined },
    type: CatalogEvent['type'],
    episode: EpisodeContext,
    day: string,
  ): string {
    const version = Number(resource.meta?.versionId);
    if (!Number.isSafeInteger(version) || version < 2) return key;
    this.retract(key, type, episode, day);
    for (let earlier = Math.max(2, version - 20); earlier < version; earlier++) {
      this.retract(`${key}/_history/${earlier}`, type, episode, day);
    }
    return `${key}/_history/${version}`;
  }

  /** A record marked entered-in-error: whatever version of it was sent is retracted. */
  retractEveryVersion(
    key: string,
    resource: { meta?: { versionId?: string } | undefined },
    type: CatalogEvent['type'],
    episode: EpisodeContext,
    day: string,
  ): void {
    // `versioned` retracts the versions before this one; this one too may have been sent.
    this.retract(this.versioned(key, resource, type, episode, day), type, episode, day);
  }
}

/** The id of `Type/id`. */
export const localId = (key: string): string => key.slice(key.indexOf('/') + 1);
