/** A 16 px icon per activity group, drawn in the current text colour (so themes and forced colours apply). */
import type { ActivityGroup } from './activity-catalog';

const PATHS: Record<ActivityGroup, string> = {
  flow: 'M4 2.5v11l9-5.5z',
  conversation: 'M2.5 3h11v8h-6l-3 2.5V11h-2z',
  routing: 'M8 1.5 14.5 8 8 14.5 1.5 8z',
  queue: 'M2 3.5h12M2 8h12M2 12.5h8',
  timer: 'M8 2.5a5.5 5.5 0 1 1 0 11a5.5 5.5 0 1 1 0-11M8 5v3l2 2',
  integration: 'M1.5 5.5h11m-3-3 3 3-3 3M14.5 10.5h-11m3 3-3-3 3-3',
  end: 'M3.5 3.5h9v9h-9z',
  voice: 'M2 6h3l4-3v10l-4-3H2zM11.5 5.5c1.2 1.4 1.2 3.6 0 5',
};

export function ActivityIcon({ group, className }: { group: ActivityGroup; className?: string }) {
  return (
    <svg className={className} width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[group]} fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" />
    </svg>
  );
}
