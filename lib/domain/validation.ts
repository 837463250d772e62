import * as z from 'zod/mini';
import { invalid, type FieldError } from './errors.js';

/** Turns zod issues into FieldErrors with stable codes (the ones ServiceStack's validators use where one fits). */
export function fieldErrors(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.flatMap((issue): FieldError[] => {
    const field = issue.path.join('.');
    switch (issue.code) {
      case 'invalid_type':
        return issue.input === undefined || issue.input === null
          ? [{ field, code: 'NotEmpty', message: `'${field}' must not be empty.` }]
          : [{ field, code: 'InvalidType', message: `'${field}' must be ${article(issue.expected)}.` }];
      case 'too_small':
        return [
          {
            field,
            code: issue.minimum === 1 ? 'NotEmpty' : 'MinimumLength',
            message: issue.minimum === 1 ? `'${field}' must not be empty.` : issue.message,
          },
        ];
      case 'too_big':
        return [
          {
            field,
            code: 'MaximumLength',
            message: `'${field}' must be ${issue.maximum} ${issue.origin === 'array' ? 'items' : 'characters'} or fewer.`,
          },
        ];
      case 'unrecognized_keys':
        return issue.keys.map((key) => {
          const path = field ? `${field}.${key}` : key;
          return { field: path, code: 'UnknownField', message: `'${path}' is not a known field.` };
        });
      case 'invalid_value':
        return [{ field, code: 'InvalidValue', message: `'${field}' must be one of: ${issue.values.join(', ')}.` }];
      case 'invalid_format':
        return [{ field, code: 'InvalidFormat', message: `'${field}' ${issue.message}.` }];
      case 'custom':
        return [{ field, code: issue.params?.code ?? 'Invalid', message: `'${field}' ${issue.message}.` }];
      default:
        return [{ field, code: 'Invalid', message: issue.message }];
    }
  });
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Anything that shows: not whitespace, not an invisible format character (U+200B, U+FEFF, U+2060, bidi controls...). */
const VISIBLE = /[^\s\p{Cf}]/u;

/** Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/;

/** True when text shows nothing: empty, whitespace, or only invisible format characters. */
export const isBlank = (text: string): boolean => !VISIBLE.test(text);

const rule = (test: (text: string) => boolean, code: string, message: string) =>
  z.refine<string>(test, { error: message, params: { code } });

/** Text with nothing visible is empty ('NotEmpty'), so a body of U+200B is refused like an empty one. */
export const notBlank = () => rule((text) => !isBlank(text), 'NotEmpty', 'must not be empty');

/**
 * Unpaired surrogates are refused: UTF-8, XML and DynamoDB cannot carry them faithfully (each
 * replaces or rejects them differently), and one in a key would name an item nobody can address.
 */
export const wellFormed = () =>
  rule((text) => text.isWellFormed(), 'InvalidUnicode', 'must be well-formed Unicode (no unpaired surrogate)');

/**
 * Bidi controls are refused in ids and names, where they make one string display as another
 * (U+202E turns "exe.txt" around). Message text keeps them: right-to-left languages need them.
 */
export const noBidiControls = () =>
  rule(
    (text) => !BIDI_CONTROLS.test(text),
    'InvalidCharacters',
    'must not contain bidirectional control characters (U+202A-U+202E, U+2066-U+2069)',
  );

/** A name or an id chosen by a client: visible, well-formed, no bidi controls, at most `max` characters. */
export const nameSchema = (max: number) => z.string().check(notBlank(), z.maxLength(max), wellFormed(), noBidiControls());

/** Parses or throws a DomainError naming every refused field. */
export function parseOrThrow<S extends z.ZodMiniType>(schema: S, input: unknown): z.infer<S> {
  const result = z.safeParse(schema, input, { reportInput: true });
  if (result.success) return result.data;
  throw invalid(fieldErrors(result.error.issues));
}
