/**
 * Reporting sessions as CSV (RFC 4180). Cells that a spreadsheet would run as a formula
 * (`=`, `+`, `-`, `@`, tab, CR at the start) are prefixed with `'`, so an export never executes.
 */
import type { ReportingSession } from './session';

const COLUMNS: { name: string; get: (s: ReportingSession) => string | number | undefined }[] = [
  { name: 'taskId', get: (s) => s.taskId },
  { name: 'conversationId', get: (s) => s.conversationId },
  { name: 'serviceId', get: (s) => s.serviceId },
  { name: 'channel', get: (s) => s.channel },
  { name: 'direct', get: (s) => (s.direct ? 'yes' : 'no') },
  { name: 'userId', get: (s) => s.userId },
  { name: 'outcome', get: (s) => s.outcome },
  { name: 'createdAt', get: (s) => iso(s.createdAt) },
  { name: 'queuedAt', get: (s) => iso(s.queuedAt) },
  { name: 'firstOfferedAt', get: (s) => iso(s.firstOfferedAt) },
  { name: 'acceptedAt', get: (s) => iso(s.acceptedAt) },
  { name: 'endedAt', get: (s) => iso(s.endedAt) },
  { name: 'queueSeconds', get: (s) => secs(s.queueMs) },
  { name: 'handlingSeconds', get: (s) => secs(s.handlingMs) },
  { name: 'offers', get: (s) => s.offers },
  { name: 'declines', get: (s) => s.declines },
  { name: 'misses', get: (s) => s.misses },
  { name: 'transferredFrom', get: (s) => s.transferredFrom },
  { name: 'transferredTo', get: (s) => s.transferredTo },
  { name: 'wrapUpOutcome', get: (s) => s.wrapUp?.outcome },
  { name: 'wrapUpNote', get: (s) => s.wrapUp?.note },
  { name: 'wrapUpFiledAt', get: (s) => iso(s.wrapUp?.filedAt) },
];

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function secs(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : (ms / 1000).toFixed(1);
}

export function csvCell(v: string | number | undefined): string {
  if (v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sessionsToCsv(sessions: readonly ReportingSession[]): string {
  const lines = [COLUMNS.map((c) => c.name).join(',')];
  for (const s of sessions) lines.push(COLUMNS.map((c) => csvCell(c.get(s))).join(','));
  return lines.join('\r\n') + '\r\n';
}
