import {
  ADAPTATIONS,
  AGE_BANDS,
  CONDITIONS,
  END_REASONS,
  LIMITS,
  MEDICATION_ACTIONS,
  MEDICATION_CLASSES,
  MISSED_REASONS,
  MODALITIES,
  PHASES,
  PHQ9_TIMEPOINTS,
  PROBLEM_AREAS,
  RETRACTION_REASONS,
  SEXES,
} from '@ipt/protocol';
import { z } from 'zod';
import { eventId, integerIn, oneOf, therapistPseudonym } from './primitives.js';

/**
 * Payload schema of every v1 event type (EVENTS.md, "Types"). All strict: an unknown key, such as
 * `notes` or `name`, rejects the event, so free text cannot ride along.
 */

const sessionNumber = integerIn(LIMITS.sessionNumber.min, LIMITS.sessionNumber.max);
const attendedSessionNumber = integerIn(
  LIMITS.attendedSessionNumber.min,
  LIMITS.attendedSessionNumber.max,
);

export const episodeStartedPayload = z.strictObject({
  therapistId: therapistPseudonym,
  ageBand: oneOf(AGE_BANDS),
  sex: oneOf(SEXES).optional(),
  condition: oneOf(CONDITIONS),
  adaptation: oneOf(ADAPTATIONS),
  modality: oneOf(MODALITIES),
  plannedSessions: integerIn(LIMITS.plannedSessions.min, LIMITS.plannedSessions.max),
});

export const problemAreaIdentifiedPayload = z.strictObject({
  area: oneOf(PROBLEM_AREAS),
  primary: z.boolean({ error: 'must be true or false' }),
  sessionNumber,
});

export const sessionAttendedPayload = z.strictObject({
  sessionNumber: attendedSessionNumber,
  phase: oneOf(PHASES),
  modality: oneOf(MODALITIES),
  therapistId: therapistPseudonym.optional(),
});

export const sessionMissedPayload = z.strictObject({
  sessionNumber: attendedSessionNumber,
  reason: oneOf(MISSED_REASONS),
});

const phq9Item = integerIn(LIMITS.phq9Item.min, LIMITS.phq9Item.max);

export const phq9RecordedPayload = z
  .strictObject({
    items: z
      .array(phq9Item, { error: 'must be an array of the 9 PHQ-9 item scores' })
      .length(LIMITS.phq9ItemCount, {
        error:
          'must hold exactly 9 item scores (0-3) in questionnaire order; the total is computed',
      }),
    timepoint: oneOf(PHQ9_TIMEPOINTS),
    sessionNumber,
    weeksAfterEnd: integerIn(LIMITS.weeksAfterEnd.min, LIMITS.weeksAfterEnd.max).optional(),
  })
  .check((ctx) => {
    const { timepoint, weeksAfterEnd } = ctx.value;
    if (timepoint === 'follow_up' && weeksAfterEnd === undefined) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: ['weeksAfterEnd'],
        message: 'is required when timepoint is follow_up',
      });
    }
    if (timepoint !== 'follow_up' && weeksAfterEnd !== undefined) {
      ctx.issues.push({
        code: 'custom',
        input: ctx.value,
        path: ['weeksAfterEnd'],
        message: 'is only allowed when timepoint is follow_up',
      });
    }
  });

export const phaseChangedPayload = z.strictObject({
  to: oneOf(PHASES),
  sessionNumber,
});

export const medicationChangedPayload = z.strictObject({
  action: oneOf(MEDICATION_ACTIONS),
  medicationClass: oneOf(MEDICATION_CLASSES),
  sessionNumber,
});

export const episodeEndedPayload = z.strictObject({
  reason: oneOf(END_REASONS),
  relapsePreventionPlan: z.boolean({ error: 'must be true or false' }),
});

export const eventRetractedPayload = z.strictObject({
  eventId,
  reason: oneOf(RETRACTION_REASONS),
});
