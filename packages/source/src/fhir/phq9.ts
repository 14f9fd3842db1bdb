/**
 * The nine PHQ-9 item scores of a QuestionnaireResponse, in questionnaire order. An item is
 * found by its LOINC code as `linkId` (`44250-9`, `/44250-9`) or at the end of `definition`; a
 * score is a LOINC answer code (LL358-3), an `ordinalValue` on the coding, or an integer 0-3.
 */
import { LOINC, ORDINAL_VALUE, PHQ9_LOINC } from './codes.js';
import type { QuestionnaireResponse, QuestionnaireResponseItem } from './resources.js';

export function phq9Items(response: QuestionnaireResponse): number[] | 'not-phq9' | string {
  const found = new Map<string, QuestionnaireResponseItem>();
  const visit = (items: readonly QuestionnaireResponseItem[] | undefined) => {
    for (const item of items ?? []) {
      const code = PHQ9_LOINC.items.find(
        (c) =>
          item.linkId === c ||
          item.linkId.endsWith(`/${c}`) ||
          (item.definition?.endsWith(c) ?? false),
      );
      if (code !== undefined) found.set(code, item);
      visit(item.item);
      for (const answer of item.answer ?? []) visit(answer.item);
    }
  };
  visit(response.item);
  const declared = response.questionnaire?.includes(PHQ9_LOINC.panel) ?? false;
  if (!declared && found.size === 0) return 'not-phq9';
  const missing = PHQ9_LOINC.items.filter((c) => !found.has(c));
  if (missing.length > 0) {
    return `PHQ-9 items ${missing.join(', ')} are not answered: the total needs all nine`;
  }
  const scores: number[] = [];
  for (const [index, code] of PHQ9_LOINC.items.entries()) {
    const score = scoreOf((found.get(code) as QuestionnaireResponseItem).answer?.[0]);
    if (score === undefined) {
      return `item ${index + 1} (${code}) has no score: answer with a LOINC answer code (LA6568-5 .. LA6571-9), an ordinalValue or an integer 0-3`;
    }
    scores.push(score);
  }
  return scores;
}

function scoreOf(answer: NonNullable<QuestionnaireResponseItem['answer']>[number] | undefined) {
  if (answer === undefined) return undefined;
  const fromInteger = answer.valueInteger ?? answer.valueDecimal;
  const coding = answer.valueCoding;
  const ordinal = coding?.extension?.find((e) => e.url === ORDINAL_VALUE)?.valueDecimal;
  const fromCode =
    coding?.system === LOINC && coding.code !== undefined
      ? (PHQ9_LOINC.answers as Record<string, number>)[coding.code]
      : undefined;
  const score = fromCode ?? ordinal ?? fromInteger;
  return score !== undefined && Number.isInteger(score) && score >= 0 && score <= 3
    ? score
    : undefined;
}
