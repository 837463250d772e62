/** Throws: a function error (API Gateway: 500). */
export const crash = async () => {
  throw new Error('crashed on purpose');
};

/** Never answers within its 1 s timeout (API Gateway: 503). */
export const hang = () => new Promise((resolve) => setTimeout(resolve, 60_000));

/** A real answer, which must pass through unchanged: a 200 whose JSON body even looks like a Lambda error. */
export const answer = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json', 'x-echo-method': event.requestContext.http.method },
  body: JSON.stringify({ errorMessage: 'not an error', errorType: 'Answer', stackTrace: [], method: event.requestContext.http.method }),
});
