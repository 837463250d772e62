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
        return [{ field, code: issue.minimum === 1 ? 'NotEmpty' : 'MinimumLength', message: issue.minimum === 1 ? `'${field}' must not be empty.` : issue.message }];
      case 'too_big':
        return [{ field, code: 'MaximumLength', message: `'${field}' must be ${issue.maximum} ${issue.origin === 'array' ? 'items' : 'characters'} or fewer.` }];
      case 'unrecognized_keys':
        return issue.keys.map((key) => {
          const path = field ? `${field}.${key}` : key;
          return { field: path, code: 'UnknownField', message: `'${path}' is not a known field.` };
        });
      case 'invalid_value':
        return [{ field, code: 'InvalidValue', message: `'${field}' must be one of: ${issue.values.join(', ')}.` }];
      case 'invalid_format':
        return [{ field, code: 'InvalidFormat', message: `'${field}' ${issue.message}.` }];
      default:
        return [{ field, code: 'Invalid', message: issue.message }];
    }
  });
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Parses or throws a DomainError naming every refused field. */
export function parseOrThrow<S extends z.ZodMiniType>(schema: S, input: unknown): z.infer<S> {
  const result = z.safeParse(schema, input, { reportInput: true });
  if (result.success) return result.data;
  throw invalid(fieldErrors(result.error.issues));
}

