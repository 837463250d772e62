import type { HttpRequest } from '../http.js';

type Source = Record<string, unknown>;

/**
 * Binds request values to a DTO's properties as ServiceStack does: names match case-insensitively,
 * and path parameters win over the body, which wins over the query string. Unknown names are
 * ignored, and a null sets nothing (like an absent value).
 */
export function bindDto(properties: readonly string[], request: HttpRequest, body: unknown): Record<string, unknown> {
  const byLowerName = new Map(properties.map((name) => [name.toLowerCase(), name]));
  const dto: Record<string, unknown> = {};
  const take = (source: Source) => {
    for (const [key, value] of Object.entries(source)) {
      const name = byLowerName.get(key.toLowerCase());
      if (name !== undefined && value !== undefined && value !== null) dto[name] = value;
    }
  };
  take(request.query);
  if (isRecord(body)) take(body);
  take(request.pathParameters);
  return dto;
}

const isRecord = (value: unknown): value is Source => typeof value === 'object' && value !== null && !Array.isArray(value);
