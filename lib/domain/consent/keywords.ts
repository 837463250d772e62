/**
 * The consent keywords of an inbound text (docs/consent.md). A keyword counts only when it is the whole
 * text, as Twilio, AWS and CTIA's handbook have it: "STOP PLEASE" opts nobody out, it is flagged for
 * review instead, since the FCC's 2025 rule makes a revocation "by any reasonable means" binding.
 */
export type Keyword = 'optOut' | 'optIn' | 'help';

/** What an inbound text is: a keyword, a text to review (it reads like a revocation), or nothing. */
export type Classification = Keyword | 'review' | 'none';

const KEYWORDS: Record<string, Keyword> = {
  STOP: 'optOut',
  STOPALL: 'optOut',
  UNSUBSCRIBE: 'optOut',
  CANCEL: 'optOut',
  END: 'optOut',
  QUIT: 'optOut',
  REVOKE: 'optOut',
  OPTOUT: 'optOut',
  START: 'optIn',
  UNSTOP: 'optIn',
  YES: 'optIn',
  HELP: 'help',
  INFO: 'help',
};

/** The words the FCC names as revocation per se, and the usual ways of asking not to be texted. */
const REVIEW: readonly RegExp[] = [
  /\b(stop|unsubscribe|revoke|opt[\s-]?out|optout|stopall)\b/i,
  /\b(quit|cancel|end|cease)\b.{0,30}\b(text|texts|texting|messag\w*|sms|contact\w*|sending)\b/i,
  /\b(remove|take) me\b/i,
  /\b(don'?t|do not|never)\s+(text|message|contact|sms|send)\b/i,
  /\bno more\s+(texts?|messages?|sms)\b/i,
  /\bleave me alone\b/i,
];

/**
 * The text as a keyword is compared: Unicode-normalised (full-width letters, ligatures), without the
 * spaces and punctuation around it (`" Stop! "`, `"stop."`), and with separators inside removed, so
 * that `"opt-out"`, `"OPT OUT"` and `"Stop all"` read as OPTOUT and STOPALL.
 */
export const normalise = (text: string): string =>
  text
    .normalize('NFKC')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/[\s\-_.]+/g, '')
    .toUpperCase();

export function classify(text: string): Classification {
  const keyword = KEYWORDS[normalise(text)];
  if (keyword) return keyword;
  return REVIEW.some((pattern) => pattern.test(text.normalize('NFKC'))) ? 'review' : 'none';
}
