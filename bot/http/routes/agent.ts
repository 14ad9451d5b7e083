/** The agent API used by the My Sessions tab. Every route authenticates and scopes by tenant. */
import { TypingThrottle } from '../../agents/typing-throttle';
import { z } from 'zod';
import type { AgentAuth, AgentPrincipal } from '../../agents/agent-auth';
import {
  acceptSession,
  agentTyping,
  declineSession,
  endSession,
  getMe,
  listSessions,
  postAgentMessage,
  resetRona,
  sessionMessages,
  setActive,
  setDuty,
  transferSession,
  transferTargets,
} from '../../agents/agent-actions';
import { cannedFor, getPrefs, putPrefs } from '../../agents/prefs';
import { fileWrapUp, wrapUpOptions } from '../../agents/wrap-up';
import type { Runtime } from '../../runtime/runtime';
import { badRequest } from '../../errors';
import { checkTextLength, handle, param, parseBody, query, type Request, type Server } from '../server';
import { MAX_MESSAGE_CHARS, messageSchema } from './interact';

const transferSchema = z.object({ serviceId: z.string().min(1) });
const dutySchema = z.object({ onDuty: z.boolean() });
const activeSchema = z.object({ active: z.boolean() });
/** A note is short after-chat text; the outcome is checked against the service's list by the use case. */
export const MAX_WRAP_UP_NOTE_CHARS = 2000;
const wrapUpSchema = z.object({ outcome: z.string().min(1).max(100), note: z.string().max(MAX_WRAP_UP_NOTE_CHARS).optional() });
/** The list itself is validated by the shared domain (parseCannedResponses), with problems by path. */
const prefsSchema = z.object({ cannedResponses: z.unknown().optional(), offerAlerts: z.boolean().optional() });

export function registerAgentRoutes(server: Server, rt: Runtime, auth: AgentAuth, isUp: () => Promise<boolean>): void {
  const h = (fn: (req: Request, p: AgentPrincipal) => ReturnType<Parameters<typeof handle>[2]>) =>
    handle(rt.log, isUp, async (req) => fn(req, await auth.verify(req.header('authorization'))));

  server.get(
    '/api/agent/me',
    h(async (_req, p) => ({ body: await getMe(rt, p) })),
  );
  server.post(
    '/api/agent/me/duty',
    h(async (req, p) => ({ body: await setDuty(rt, p, parseBody(req, dutySchema).onDuty) })),
  );
  server.post(
    '/api/agent/me/services/:serviceId/active',
    h(async (req, p) => ({ body: await setActive(rt, p, param(req, 'serviceId'), parseBody(req, activeSchema).active) })),
  );
  server.post(
    '/api/agent/me/rona/reset',
    h(async (_req, p) => ({ body: await resetRona(rt, p) })),
  );
  server.get(
    '/api/agent/services',
    h(async (_req, p) => ({ body: { services: transferTargets(rt, p) } })),
  );
  server.get(
    '/api/agent/sessions',
    h(async (_req, p) => ({ body: { sessions: await listSessions(rt, p) } })),
  );
  server.post(
    '/api/agent/sessions/:id/accept',
    h(async (req, p) => ({ body: { session: await acceptSession(rt, p, param(req, 'id')) } })),
  );
  server.post(
    '/api/agent/sessions/:id/decline',
    h(async (req, p) => ({ body: { session: await declineSession(rt, p, param(req, 'id')) } })),
  );
  server.post(
    '/api/agent/sessions/:id/end',
    h(async (req, p) => ({ body: { session: await endSession(rt, p, param(req, 'id')) } })),
  );
  server.post(
    '/api/agent/sessions/:id/transfer',
    h(async (req, p) => ({ body: { session: await transferSession(rt, p, param(req, 'id'), parseBody(req, transferSchema).serviceId) } })),
  );
  const typing = new TypingThrottle(() => rt.clock.now());
  server.post(
    '/api/agent/sessions/:id/typing',
    h(async (req, p) => {
      const id = param(req, 'id');
      // The throttle is consulted only once the session is known to be the caller's: nobody else can use it up.
      await agentTyping(rt, p, id, () => typing.take(`${p.tenantId}/${id}`));
      return { status: 204 };
    }),
  );
  server.post(
    '/api/agent/sessions/:id/wrapup',
    h(async (req, p) => ({ body: { session: await fileWrapUp(rt, p, param(req, 'id'), parseBody(req, wrapUpSchema)) } })),
  );
  server.get(
    '/api/agent/sessions/:id/wrapup',
    h(async (req, p) => ({ body: await wrapUpOptions(rt, p, param(req, 'id')) })),
  );
  server.get(
    '/api/agent/sessions/:id/canned',
    h(async (req, p) => ({ body: await cannedFor(rt, p, param(req, 'id')) })),
  );
  server.get(
    '/api/agent/prefs',
    h(async (_req, p) => ({ body: await getPrefs(rt, p) })),
  );
  server.put(
    '/api/agent/prefs',
    h(async (req, p) => ({ body: await putPrefs(rt, p, parseBody(req, prefsSchema)) })),
  );
  server.get(
    '/api/agent/sessions/:id/messages',
    h(async (req, p) => {
      const after = Number(query(req, 'after') ?? '0');
      if (!Number.isInteger(after) || after < 0) throw badRequest('invalid_request', 'after: a sequence number (0 or more) is required');
      return { body: { messages: await sessionMessages(rt, p, param(req, 'id'), after) } };
    }),
  );
  server.post(
    '/api/agent/sessions/:id/messages',
    h(async (req, p) => {
      const body = parseBody(req, messageSchema);
      checkTextLength(body.text, MAX_MESSAGE_CHARS);
      const r = await postAgentMessage(rt, p, param(req, 'id'), body);
      return { status: r.duplicate ? 200 : 201, body: { id: r.message.id, seq: r.message.seq } };
    }),
  );
}
