/** Opening-hours helpers for the editor and the Calendars summary: day names, presets, a one-line summary. */
import type { OpeningHours, WeeklyHours } from '@stratus/shared/tenant/model';

export const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export const DAY_SHORT = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** Monday first, as people read a week at work. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

export const PRESETS: { label: string; weekly: () => WeeklyHours[] }[] = [
  { label: 'Around the clock', weekly: () => [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })) },
  { label: 'Weekdays 08:00–17:00', weekly: () => [1, 2, 3, 4, 5].map((day) => ({ day, from: '08:00', to: '17:00' })) },
];

/** Time zones the browser knows (for suggestions); empty where Intl cannot list them. */
export function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

const rangesOf = (weekly: readonly WeeklyHours[], day: number) =>
  weekly
    .filter((w) => w.day === day)
    .sort((a, b) => a.from.localeCompare(b.from))
    .map((w) => `${w.from}–${w.to}`)
    .join(', ');

/** `Mon–Fri 08:00–17:00; Sat 09:00–12:00` (days with the same hours grouped when consecutive). */
export function summarizeWeek(weekly: readonly WeeklyHours[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < WEEK_ORDER.length) {
    const day = WEEK_ORDER[i] as number;
    const r = rangesOf(weekly, day);
    let j = i;
    while (j + 1 < WEEK_ORDER.length && rangesOf(weekly, WEEK_ORDER[j + 1] as number) === r) j++;
    if (r) {
      const days = i === j ? DAY_SHORT[day] : `${DAY_SHORT[day]}–${DAY_SHORT[WEEK_ORDER[j] as number]}`;
      parts.push(`${days} ${r === '00:00–24:00' ? 'all day' : r}`);
    }
    i = j + 1;
  }
  return parts.length ? parts.join('; ') : 'Closed every day';
}

/** Exceptions on or after `today` (`YYYY-MM-DD`), soonest first. */
export function upcoming(hours: OpeningHours, today: string): OpeningHours['exceptions'] {
  return hours.exceptions.filter((e) => e.date >= today).sort((a, b) => a.date.localeCompare(b.date));
}
