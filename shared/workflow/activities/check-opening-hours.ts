/**
 * Check Opening Hours: the service's calendar (weekly hours in its time zone, plus dated
 * exceptions such as holidays, each with a name). Exits open / closed / holiday; a holiday sets
 * `OpeningHours.Holiday` to its name.
 */
import type { OpeningHours } from '../../tenant/model';
import { fixed, setParam, type Activity } from './activity';

const formatters = new Map<string, Intl.DateTimeFormat>();
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function local(now: number, timeZone: string): { date: string; day: number; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, string> = {};
  for (const x of f.formatToParts(new Date(now))) parts[x.type] = x.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    day: DAYS.indexOf(parts.weekday ?? ''),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export type HoursState = { state: 'open' | 'closed' } | { state: 'holiday'; name: string };

/** Whether the calendar is open at `now`. */
export function hoursAt(hours: OpeningHours, now: number): HoursState {
  const t = local(now, hours.timeZone);
  const inRange = (r: { from: string; to: string }) => t.minutes >= toMin(r.from) && t.minutes < toMin(r.to);
  const exception = hours.exceptions.find((e) => e.date === t.date);
  if (exception?.kind === 'holiday') return { state: 'holiday', name: exception.name };
  if (exception?.kind === 'open') return { state: (exception.hours ?? []).some(inRange) ? 'open' : 'closed' };
  return { state: hours.weekly.some((w) => w.day === t.day && inRange(w)) ? 'open' : 'closed' };
}

export const checkOpeningHoursActivity: Activity = {
  kind: 'checkOpeningHours',
  imSupported: true,
  ...fixed(['open', 'closed'], ['holiday']),
  validate: () => [],
  run({ snap, ctx, node }) {
    const h = hoursAt(ctx.service.openingHours, ctx.now);
    if (h.state === 'holiday') {
      // Without a holiday exit, a holiday is closed.
      const exit = node.exits?.holiday !== undefined ? 'holiday' : 'closed';
      return { kind: 'continue', exit, effects: [setParam(snap, 'OpeningHours.Holiday', h.name)] };
    }
    return { kind: 'continue', exit: h.state };
  },
};
