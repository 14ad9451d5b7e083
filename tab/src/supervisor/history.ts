/**
 * The History view's rules, kept pure: how a past session reads in the table (outcome, times,
 * rating, and how a page of older sessions joins the ones already shown.
 */
import type { ReportingSession } from '@stratus/shared/reporting/session';
import type { Outcome } from '@stratus/shared/task/types';
import { duration, OUTCOME_LABEL } from './reports';

/** Sessions asked for at a time: the newest first, then older ones on demand. */
export const HISTORY_PAGE = 200;

/** Shown for what a session does not have (nobody accepted it, no rating, not ended). */
export const NONE = '—';

/** What an outcome means, said to the supervisor reading the transcript. */
export const OUTCOME_MEANING = {
  handled: 'An agent had the chat until it ended.',
  transferred: 'The chat went on in another session: transferred, taken over, reassigned or moved to another service.',
  abandoned: 'The customer left before an agent accepted.',
  missed: 'Nobody accepted the chat.',
  declined: 'The chat was declined and nobody accepted it.',
  nobodyAvailable: 'The workflow found nobody available and ended the chat.',
  closedHours: 'The chat came in outside opening hours.',
  timedOut: 'The chat waited as long as the queue allows.',
  inactive: 'The customer went silent and the chat was closed.',
  failed: 'The chat could not be handled (a workflow or channel error).',
} as const satisfies Record<Outcome, string>;

/** The outcome in words; a session that has not ended yet is still open. */
export const outcomeLabel = (x: Pick<ReportingSession, 'outcome'>): string => (x.outcome ? OUTCOME_LABEL[x.outcome] : 'Still open');

/** A span in milliseconds as a table cell, or a dash when the session has none. */
export const span = (ms: number | undefined): string => (ms === undefined ? NONE : duration(ms / 1000));

/** A start time in the viewer's time zone and words: `3 Dec 2024, 14:02`. */
export const startedLabel = (ms: number): string => new Date(ms).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });

/** A rating in words, for screen readers (the eye gets stars): `4 of 5 stars`. */
export const ratingSaid = (rating: number): string => `${rating} of 5 stars`;

/**
 * The sessions shown after a page of older ones arrived: those already shown, then the new ones
 * (a page asked "up to the oldest shown", inclusive, repeats the sessions of that instant; they
 * are dropped). `more` says whether there may be older ones still: the page was full and brought
 * something new (a full page of nothing new would be asked again and again).
 */
export function withOlder(
  shown: readonly ReportingSession[],
  page: readonly ReportingSession[],
  pageSize = HISTORY_PAGE,
): { sessions: ReportingSession[]; more: boolean } {
  const seen = new Set(shown.map((x) => x.taskId));
  const added = page.filter((x) => !seen.has(x.taskId));
  return { sessions: [...shown, ...added], more: page.length >= pageSize && added.length > 0 };
}
