/** Errors with a stable code and HTTP status; every non-2xx answer is `{error:{code,message}}`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds, for 429 and 503 answers. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
  toBody(): { error: { code: string; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'Sign in first: a valid bearer token is required.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message: string, code = 'forbidden') => new AppError(403, code, message);
export const notFound = (message = 'Not found.', code = 'not_found') => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
export const tooLarge = (message: string) => new AppError(413, 'too_large', message);
export const rateLimited = (retryAfterSec: number) =>
  new AppError(429, 'rate_limited', `Too many requests: try again in ${retryAfterSec} s.`, undefined, retryAfterSec);
export const unavailable = (message = 'Storage is not answering: nothing was saved, try again shortly.') =>
  new AppError(503, 'unavailable', message, undefined, 2);
