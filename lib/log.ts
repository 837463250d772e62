import { Logger } from '@aws-lambda-powertools/logger';

/** One structured JSON logger per container; level from POWERTOOLS_LOG_LEVEL (default INFO). */
export const logger = new Logger({ serviceName: 'messaging-api' });
