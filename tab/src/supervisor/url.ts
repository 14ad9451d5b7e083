/**
 * The Supervisor page's state that belongs in the address: the view, the service filter, the
 * monitored (Live) or read (History) session, and the filters of Reports and History. Kept in the query string so that reload, Back and
 * a shared link show the same thing. Unknown values fall back to the defaults.
 */
import { useCallback, useEffect, useState } from 'react';
import { OUTCOMES, type Outcome } from '@stratus/shared/task/types';
import { CHANNEL_KINDS, type ChannelKind } from '@stratus/shared/tenant/model';

export type View = 'live' | 'reports' | 'history';
const VIEWS: readonly View[] = ['live', 'reports', 'history'];
export type RangePreset = 'today' | '7d' | '30d' | 'custom';
export type TimeGroup = 'day' | 'hour';

export interface PageQuery {
  view: View;
  /** A service id, or undefined for "All my services". */
  service?: string;
  /** The monitored session (Live), or the session whose transcript is open (History): a task id. */
  session?: string;
  range: RangePreset;
  /** `YYYY-MM-DD`, local dates, inclusive (range `custom`). */
  from?: string;
  to?: string;
  by: TimeGroup;
  channel?: ChannelKind;
  /** History only: the sessions that ended so. */
  outcome?: Outcome;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ID = /^[A-Za-z0-9_-]{1,128}$/;
const RANGES: readonly RangePreset[] = ['today', '7d', '30d', 'custom'];

const pick = <T extends string>(v: string | null, allowed: readonly T[]): T | undefined =>
  v !== null && (allowed as readonly string[]).includes(v) ? (v as T) : undefined;

export function parseQuery(search: string): PageQuery {
  const p = new URLSearchParams(search);
  const id = (k: string) => {
    const v = p.get(k);
    return v && ID.test(v) ? v : undefined;
  };
  const date = (k: string) => {
    const v = p.get(k);
    return v && DATE.test(v) ? v : undefined;
  };
  const range = pick(p.get('range'), RANGES) ?? '7d';
  const from = date('from');
  const to = date('to');
  return {
    view: pick(p.get('view'), VIEWS) ?? 'live',
    ...(id('service') ? { service: id('service') } : {}),
    ...(id('session') ? { session: id('session') } : {}),
    // A custom range needs both ends; without them it is the default.
    range: range === 'custom' && !(from && to) ? '7d' : range,
    ...(range === 'custom' && from && to ? { from, to } : {}),
    by: pick(p.get('by'), ['day', 'hour'] as const) ?? (range === 'today' ? 'hour' : 'day'),
    ...(pick(p.get('channel'), CHANNEL_KINDS) ? { channel: pick(p.get('channel'), CHANNEL_KINDS) } : {}),
    ...(pick(p.get('outcome'), OUTCOMES) ? { outcome: pick(p.get('outcome'), OUTCOMES) } : {}),
  };
}

/** The query string for `q`: only what differs from the defaults, in a stable order. */
export function formatQuery(q: PageQuery): string {
  const p = new URLSearchParams();
  if (q.view !== 'live') p.set('view', q.view);
  if (q.service) p.set('service', q.service);
  if (q.view !== 'reports' && q.session) p.set('session', q.session);
  // Reports and History share the period and the channel (switching keeps them).
  if (q.view !== 'live') {
    if (q.range !== '7d') p.set('range', q.range);
    if (q.range === 'custom' && q.from && q.to) {
      p.set('from', q.from);
      p.set('to', q.to);
    }
    if (q.view === 'reports' && q.by !== (q.range === 'today' ? 'hour' : 'day')) p.set('by', q.by);
    if (q.channel) p.set('channel', q.channel);
    if (q.view === 'history' && q.outcome) p.set('outcome', q.outcome);
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The page's query, and a setter that writes it to the address (a history entry, so Back works). */
export function usePageQuery(): [PageQuery, (patch: Partial<PageQuery>) => void] {
  const [q, setQ] = useState(() => parseQuery(window.location.search));
  useEffect(() => {
    const onPop = () => setQ(parseQuery(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const update = useCallback((patch: Partial<PageQuery>) => {
    setQ((old) => {
      const next = parseQuery(formatQuery({ ...old, ...patch }));
      const search = formatQuery(next);
      if (search !== window.location.search) window.history.pushState(null, '', `${window.location.pathname}${search}`);
      return next;
    });
  }, []);
  return [q, update];
}
