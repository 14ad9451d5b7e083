/**
 * A distribution pass reads agents with `agentsWithRoom(…, maxLimit)`: only those whose open load is
 * below the limit; every other reader uses `loadAgents` (the same statement, every agent). The
 * limit in SQL must keep exactly the agents the full read shows below it, field for field:
 * presence, duty, Active services, load. Runs on PGlite, and on PostgreSQL in `npm run test:pg`.
 */
import { sql } from 'drizzle-orm';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { agentsWithRoom, loadAgents } from '../store/agents';
import { startHarness, waitFor, type Harness } from './harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

test('agents with room are loadAgents less those at the limit, field for field', async () => {
  const tenant = demoTenant();
  const tokens = await Promise.all(tenant.users.map((u) => h.devToken(u.upn)));
  // Two chats: one accepted (a connected load), one left offered (an offer's load).
  const start = (n: string) =>
    h.call('POST', '/api/interact/support/chats', { displayName: n, email: `${n}@example.com`, privacyAccepted: true, message: n });
  expect((await start('One')).status).toBe(201);
  const first = await waitFor('the first offer', async () => {
    for (const t of tokens) {
      const s = ((await h.call('GET', '/api/agent/sessions', undefined, t)).data.sessions ?? []).find((x: any) => x.state === 'offered');
      if (s) return { t, id: s.id as string };
    }
    return undefined;
  });
  expect((await h.call('POST', `/api/agent/sessions/${first.id}/accept`, {}, first.t)).status).toBe(200);
  expect((await start('Two')).status).toBe(201);
  await waitFor('the second offer', async () => {
    const loads = await loadAgents(h.app.store.db, h.app.rt.tenants.tenant(tenant.id)!);
    return [...loads.values()].reduce((n, a) => n + a.imLoad, 0) >= 2 || undefined;
  });
  // One agent out of duty with a RONA time, to compare the optional fields too.
  const someone = tenant.users.at(-1)!.id;
  await h.app.store.db.execute(
    sql`update agents set on_duty = false, rona_until = 123 where tenant_id = ${tenant.id} and user_id = ${someone}`,
  );

  const all = await loadAgents(h.app.store.db, h.app.rt.tenants.tenant(tenant.id)!);
  expect([...all.values()].some((a) => a.imLoad > 0)).toBe(true);
  // The read itself, against the rows: typed fields, optional ones absent when unset, Active services.
  expect(all.get(someone)).toMatchObject({ userId: someone, onDuty: false, ronaUntil: 123, inBlockingCall: false });
  expect(typeof all.get(someone)!.lastIdleAt).toBe('number');
  const flags = (await h.app.store.db.execute(
    sql`select user_id, service_id from agent_services where tenant_id = ${tenant.id} and active order by service_id`,
  )) as unknown as { rows: { user_id: string; service_id: string }[] };
  for (const a of all.values()) {
    expect(a.activeServiceIds).toEqual(flags.rows.filter((r) => r.user_id === a.userId).map((r) => r.service_id));
    expect('wrapUpUntil' in a).toBe(false);
  }
  for (const limit of [1, 2, 3]) {
    const room = await agentsWithRoom(h.app.store.db, tenant.id, limit);
    const expected = [...all.values()].filter((a) => a.imLoad < limit);
    expect([...room.keys()].sort()).toEqual(expected.map((a) => a.userId).sort());
    for (const a of expected)
      expect({ ...room.get(a.userId)!, activeServiceIds: [...room.get(a.userId)!.activeServiceIds].sort() }).toEqual({
        ...a,
        activeServiceIds: [...a.activeServiceIds].sort(),
      });
  }
  expect((await agentsWithRoom(h.app.store.db, tenant.id, 1)).size).toBeLessThan(all.size);
});
