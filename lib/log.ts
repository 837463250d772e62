import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/** One structured JSON logger per container; level from POWERTOOLS_LOG_LEVEL (default INFO). */
export const logger = new Logger({ serviceName: 'messaging-api' });

/** A middy handler whose logs carry the invocation's request id (keys reset between invocations). */
export const loggedHandler = <Event, Result>() => middy<Event, Result, Error, Context>().use(injectLambdaContext(logger, { resetKeys: true }));
