import * as z from 'zod/mini';
import { contract } from './contract.js';

/** A JSON Schema (2020-12) as zod writes it. */
export type JsonSchema = {
  type?: string | string[];
  $ref?: string;
  description?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  examples?: unknown[];
  [keyword: string]: unknown;
};

const REF_PREFIX = '#/components/schemas/';

let cached: Record<string, JsonSchema> | undefined;

/**
 * Every named schema of the contract as JSON Schema, references between them as
 * `#/components/schemas/<id>` (OpenAPI's place for them). Requests are described as clients send
 * them (`io: 'input'`). Computed once per container.
 */
export function contractSchemas(): Record<string, JsonSchema> {
  cached ??= Object.fromEntries(
    Object.entries(
      z.toJSONSchema(contract, { metadata: contract, io: 'input', unrepresentable: 'any', uri: (id) => `${REF_PREFIX}${id}` }).schemas,
    ).map(([id, { $schema: _schema, $id: _id, ...schema }]) => [id, schema as JsonSchema]),
  );
  return cached;
}

/** The id a `$ref` points at. */
export const refName = (ref: string): string => ref.slice(REF_PREFIX.length);

export function schemaOf(id: string): JsonSchema {
  const schema = contractSchemas()[id];
  if (!schema) throw new Error(`No schema '${id}' in the contract`);
  return schema;
}
