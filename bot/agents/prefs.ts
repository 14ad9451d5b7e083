/**
 * The agent's own settings (`agents.prefs`): their canned responses (validated as a service's are)
 * and whether a new offer raises a desktop notification and a sound in the tab (off by default).
 */
import type { AgentPrefs } from '@stratus/shared/contract/api';
import type { CannedResponse } from '@stratus/shared/tenant/model';
import { parseCannedResponses } from '@stratus/shared/tenant/validate';
import type { AgentPrincipal } from './agent-auth';
import { badRequest, forbidden, notFound } from '../errors';
import type { Runtime } from '../runtime/runtime';
import { inTx } from '../runtime/uow';
import { agentPrefs, setAgentPrefs } from '../store/agents';
import { getTask } from '../store/repo';

/** The stored settings, read defensively: anything unreadable counts as the default. */
function readPrefs(raw: unknown): AgentPrefs {
  const o = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const canned = parseCannedResponses(o.cannedResponses ?? []);
  return { cannedResponses: canned.ok ? canned.value : [], offerAlerts: o.offerAlerts === true };
}

export async function getPrefs(rt: Runtime, p: AgentPrincipal): Promise<AgentPrefs> {
  return readPrefs(await agentPrefs(rt.store.db, p.tenantId, p.userId));
}

/** Changes the fields given (`cannedResponses` replaces the whole list); 400 with every problem by path. */
export async function putPrefs(
  rt: Runtime,
  p: AgentPrincipal,
  body: { cannedResponses?: unknown; offerAlerts?: boolean },
): Promise<AgentPrefs> {
  let canned: CannedResponse[] | undefined;
  if (body.cannedResponses !== undefined) {
    const r = parseCannedResponses(body.cannedResponses);
    if (!r.ok) throw badRequest('invalid_request', r.problems.map((x) => `${x.path}: ${x.message}`).join('; '), r.problems);
    canned = r.value;
  }
  return inTx(rt, async (u) => {
    const next = readPrefs(await agentPrefs(u.tx, p.tenantId, p.userId));
    if (canned) next.cannedResponses = canned;
    if (body.offerAlerts !== undefined) next.offerAlerts = body.offerAlerts;
    if (!(await setAgentPrefs(u.tx, p.tenantId, p.userId, next))) throw notFound('Unknown agent.');
    return next;
  });
}

/** The canned responses for one of the agent's sessions: its service's and the agent's own. */
export async function cannedFor(
  rt: Runtime,
  p: AgentPrincipal,
  taskId: string,
): Promise<{ service: CannedResponse[]; mine: CannedResponse[] }> {
  const row = await getTask(rt.store.db, p.tenantId, taskId);
  if (!row) throw notFound('No such session.');
  const t = row.task;
  if (t.userId !== p.userId && !t.offers.some((o) => o.userId === p.userId))
    throw forbidden('This session is not yours.', 'not_your_session');
  const service = rt.tenants.service(p.tenantId, t.serviceId)?.im.chat?.cannedResponses ?? [];
  return { service, mine: (await getPrefs(rt, p)).cannedResponses };
}
