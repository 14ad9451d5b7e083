/**
 * Every error code the server answers with (`{error:{code,message}}`): a public contract, so one
 * list, and a code that is not in it does not compile.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'unsupported_encoding'
  | 'too_large'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'unavailable'
  | 'busy'
  | 'internal'
  // customers
  | 'chat_ended'
  | 'chat_expired'
  | 'origin_not_allowed'
  | 'too_many_connections'
  // agents
  | 'not_your_session'
  | 'not_connected'
  | 'offer_gone'
  | 'same_service'
  | 'unknown_service'
  | 'service_not_im'
  | 'unknown_user'
  | 'not_ended'
  | 'wrap_up_closed'
  // supervisors
  | 'already_yours'
  | 'same_agent'
  | 'not_eligible'
  | 'not_queued'
  // customer satisfaction
  | 'already_rated'
  | 'not_asked'
  // Twilio webhooks
  | 'bad_signature'
  // admin
  | 'invalid_config'
  | 'stale'
  | 'if_match_required'
  | 'service_busy'
  | 'already_exists'
  | 'directory_unavailable';

/** Errors with a stable code and HTTP status; every non-2xx answer is `{error:{code,message}}`. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds, for 429 and 503 answers. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
  toBody(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

export const badRequest = (code: ErrorCode, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'Sign in first: a valid bearer token is required.') => new AppError(401, 'unauthorized', message);
export const forbidden = (message: string, code: ErrorCode = 'forbidden') => new AppError(403, code, message);
export const notFound = (message = 'Not found.', code: ErrorCode = 'not_found') => new AppError(404, code, message);
export const conflict = (code: ErrorCode, message: string) => new AppError(409, code, message);
export const preconditionFailed = (message: string, details?: unknown) => new AppError(412, 'stale', message, details);
export const preconditionRequired = (message: string) => new AppError(428, 'if_match_required', message);
export const tooLarge = (message: string) => new AppError(413, 'too_large', message);
export const rateLimited = (retryAfterSec: number) =>
  new AppError(429, 'rate_limited', `Too many requests: try again in ${retryAfterSec} s.`, undefined, retryAfterSec);
export const unavailable = (message = 'Storage is not answering: nothing was saved, try again shortly.') =>
  new AppError(503, 'unavailable', message, undefined, 2);
