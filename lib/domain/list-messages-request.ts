import * as z from 'zod/mini';
import { invalid, type FieldError } from './errors.js';
import { idSchema } from './send-message.js';
import { fieldErrors } from './validation.js';

/**
 * Evo Voice ListMessages (a ServiceStack ListRequest<MessageInfo>) as the domain sees it: camelCase,
 * already typed by the wire layer (lists as arrays, numbers, booleans). Limits are documented in the README.
 */
export const DEFAULT_COUNT_PER_PAGE = 25;
export const MAX_COUNT_PER_PAGE = 100;
/** Most ids one list filter may name: each costs a read (SpecificIds, ConversationIds) or a partition to merge. */
export const MAX_IDS = 50;
/** `All` returns at most this many messages (hasMorePages tells when more exist). */
export const ALL_CAP = 1000;
/** Deepest item a page may reach (Page x CountPerPage): a page is found by reading the items before it. */
export const MAX_OFFSET = 10_000;

export const SORT_ORDERS = ['Ascend', 'Descend'] as const;
export const SORT_FIELDS = ['Date'] as const;

const idList = z.array(idSchema).check(z.maxLength(MAX_IDS));
const count = z.number().check(z.int(), z.minimum(1), z.maximum(MAX_COUNT_PER_PAGE));

/** An ISO 8601 instant: a date (midnight UTC) or a date-time with Z or an offset; local times are ambiguous and refused. */
const INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2}))?$/i;
const instant = z.pipe(
  z.string(),
  z.transform((text, context) => {
    const date = INSTANT.test(text.trim()) ? new Date(text.trim()) : new Date(Number.NaN);
    if (Number.isNaN(date.getTime())) {
      context.issues.push({
        code: 'invalid_format',
        format: 'datetime',
        input: text,
        message: 'must be an ISO 8601 instant, e.g. 2026-11-25T00:00:00Z',
      });
      return z.NEVER;
    }
    return date;
  }),
);

/** Names compare case-insensitively, as ServiceStack binds enums; the canonical spelling comes back. */
const oneOf = <T extends string>(values: readonly T[]) =>
  z.pipe(
    z.string(),
    z.transform((text, context) => {
      const found = values.find((value) => value.toLowerCase() === text.trim().toLowerCase());
      if (found === undefined) {
        context.issues.push({ code: 'invalid_value', values: [...values], input: text, message: `must be one of: ${values.join(', ')}` });
        return z.NEVER;
      }
      return found;
    }),
  );

export const listMessagesRequestSchema = z.strictObject({
  accountIds: z.optional(idList),
  customerIds: z.optional(idList),
  endpointIds: z.optional(idList),
  conversationIds: z.optional(idList),
  afterDate: z.optional(instant),
  page: z.optional(z.number().check(z.int(), z.minimum(0))),
  all: z.optional(z.boolean()),
  countPerPage: z.optional(count),
  specificIds: z.optional(idList),
  sortField: z.optional(oneOf(SORT_FIELDS)),
  sortOrder: z.optional(oneOf(SORT_ORDERS)),
  simplifiedPaging: z.optional(z.boolean()),
});

/** The DTO's property names, for the wire layer's binder. */
export const LIST_MESSAGES_PROPERTIES = Object.keys(listMessagesRequestSchema.shape) as (keyof typeof listMessagesRequestSchema.shape)[];

export interface ListMessagesRequest {
  accountIds?: string[];
  customerIds?: string[];
  endpointIds?: string[];
  conversationIds?: string[];
  specificIds?: string[];
  afterDate?: Date;
  /** 0-based. */
  page: number;
  countPerPage: number;
  all: boolean;
  descending: boolean;
  simplifiedPaging: boolean;
}

/** Validates a bound ListMessages request; every refusal names its field (list items as `EndpointIds[3]`). */
export function parseListMessages(input: unknown): ListMessagesRequest {
  const result = z.safeParse(listMessagesRequestSchema, input, { reportInput: true });
  if (!result.success) throw invalid(fieldErrors(result.error.issues).map(indexedField));
  // Date is the only sort field: validated above, nothing more to do with it.
  const {
    page = 0,
    countPerPage = DEFAULT_COUNT_PER_PAGE,
    all = false,
    sortOrder = 'Descend',
    simplifiedPaging = false,
    sortField: _date,
    ...filters
  } = result.data;
  if (!all && (page + 1) * countPerPage > MAX_OFFSET) {
    throw invalid([
      {
        field: 'page',
        code: 'LessThanOrEqual',
        message: `'page' is too deep: Page x CountPerPage may reach ${MAX_OFFSET} messages at most; narrow the request with AfterDate or a filter.`,
      },
    ]);
  }
  // An empty list filters nothing, like an absent one.
  const lists = Object.entries(filters).filter(([, value]) => !Array.isArray(value) || value.length > 0);
  return { ...Object.fromEntries(lists), page, countPerPage, all, descending: sortOrder === 'Descend', simplifiedPaging };
}

/** `endpointIds.3` -> `endpointIds[3]`, as ServiceStack's validators name collection items. */
function indexedField(error: FieldError): FieldError {
  const field = error.field.replace(/\.(\d+)(?=\.|$)/g, '[$1]');
  return { ...error, field, message: error.message.replace(`'${error.field}'`, `'${field}'`) };
}
