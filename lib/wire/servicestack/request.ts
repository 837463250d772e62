import { DomainError } from '../../domain/errors.js';
import { mediaType, parseJson, type HttpRequest } from '../http.js';
import { isJsonType, isXmlType } from './format.js';
import { parseDataContract, type DataContractName } from './xml-read.js';

/** Reads the request body as ServiceStack binds it: JSON, DataContract XML or a form; no body is an empty DTO. */
export function readBody(request: HttpRequest, contract: DataContractName): unknown {
  if (request.body.trim() === '') return {};
  const type = mediaType(request);
  if (type === '' || isJsonType(type)) return parseJson(request.body);
  if (isXmlType(type)) return parseDataContract(request.body, contract);
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(request.body));
  throw new DomainError('unsupported-media-type', `Content type '${type}' is not supported; send JSON, XML or a form`);
}
