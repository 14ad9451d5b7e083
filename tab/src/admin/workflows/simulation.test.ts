/** The test-run driver: the shared engine played against a simulated host, start to end state. */
import { demoTenant } from '../../../../shared/tenant/demo';
import { defaultImWorkflow } from '../../../../shared/workflow/default-workflow';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import { availableActions, pendingTimer, simulate, simulationStatus, startSimulation, type SimSetup, type Simulation } from './simulation';

const T0 = Date.UTC(2026, 10, 25, 10, 0, 0);
const tenant = demoTenant();
const support = tenant.services[0]!;

function setup(over: Partial<SimSetup> = {}): SimSetup {
  return {
    now: T0,
    hours: 'open',
    available: 1,
    busy: 0,
    queuePosition: 3,
    customerName: 'Carol',
    service: support,
    services: tenant.services,
    ...over,
  };
}

const said = (sim: Simulation) => sim.transcript.filter((l) => l.from === 'workflow').map((l) => l.text);

describe('default IM workflow', () => {
  it('during opening hours: accepted, queued for the service at its default priority, welcomed', () => {
    const s = setup();
    const sim = startSimulation(defaultImWorkflow, s);
    expect(sim.task).toBe('queued');
    expect(sim.queue).toEqual({
      priority: 'normal',
      distributionType: support.im.distribution.type,
      maxQueueTimeSec: 1800,
      offerTimeoutSec: 30,
    });
    expect(said(sim)).toEqual([expect.stringMatching(/^Thank you, Carol\. You are in the queue for Support/)]);
    const status = simulationStatus(defaultImWorkflow, sim, s);
    expect(status.kind).toBe('queued');
    expect(status.text).toMatch(/^Queued for Support at priority normal/);
  });

  it('closed hours: the closed message, then the workflow ends', () => {
    const s = setup({ hours: 'closed' });
    const sim = startSimulation(defaultImWorkflow, s);
    expect(said(sim)).toEqual([expect.stringMatching(/^Hello Carol, .*Support is closed right now/)]);
    expect(sim.snapshot.status).toBe('ended');
    expect(sim.snapshot.node).toBe('closedBye');
    expect(simulationStatus(defaultImWorkflow, sim, s).kind).toBe('ended');
  });

  it('a holiday takes the holiday exit with its name', () => {
    const sim = startSimulation(defaultImWorkflow, setup({ hours: 'holiday' }));
    expect(said(sim)[0]).toContain('closed today (Simulated holiday)');
  });

  it("the service's own calendar decides at the simulated time", () => {
    const weekdays = { timeZone: 'UTC', weekly: [{ day: 3, from: '09:00', to: '17:00' }], exceptions: [] };
    const s = setup({ hours: 'calendar', service: { ...support, openingHours: weekdays } });
    expect(startSimulation(defaultImWorkflow, s).task).toBe('queued'); // Wednesday 10:00 UTC
    expect(startSimulation(defaultImWorkflow, { ...s, now: T0 + 8 * 3600_000 }).snapshot.status).toBe('ended'); // 18:00
  });

  it('nobody on duty: the queue exits through nobodyEligible at once, as on the server', () => {
    const sim = startSimulation(defaultImWorkflow, setup({ available: 0, busy: 0 }));
    expect(said(sim).at(-1)).toMatch(/^Sorry, nobody from Support is available/);
    expect(sim.snapshot.status).toBe('ended');
  });

  it('firing the timer tells the position; an agent, then the end of the session, ends it handled', () => {
    const s = setup();
    let sim = startSimulation(defaultImWorkflow, s);
    expect(availableActions(sim)).toEqual(['fireTimer', 'agentAccepts', 'queueExit', 'customerLeaves']);
    expect(pendingTimer(sim)).toBe(T0 + 60_000);
    sim = simulate(defaultImWorkflow, sim, { type: 'fireTimer' }, s);
    expect(sim.now).toBe(T0 + 60_000);
    expect(said(sim).at(-1)).toBe('You are number 3 in the queue. Thank you for waiting.');
    sim = simulate(defaultImWorkflow, sim, { type: 'agentAccepts' }, s);
    expect(simulationStatus(defaultImWorkflow, sim, s).kind).toBe('connected');
    sim = simulate(defaultImWorkflow, sim, { type: 'queueExit', exit: 'connectedEnded' }, s);
    expect(sim.snapshot.outcome).toBe('handled');
    expect(simulationStatus(defaultImWorkflow, sim, s)).toMatchObject({ kind: 'ended', outcome: 'handled' });
    expect(availableActions(sim)).toEqual([]);
  });

  it('a message nobody waits for is noted and changes nothing; the old run is left as it was', () => {
    const s = setup();
    const before = startSimulation(defaultImWorkflow, s);
    const after = simulate(defaultImWorkflow, before, { type: 'customerMessage', text: 'hello?' }, s);
    expect(after.transcript.slice(-2)).toEqual([
      { from: 'customer', text: 'hello?' },
      { from: 'note', text: 'The workflow is not waiting for a message.' },
    ]);
    expect(after.snapshot).toBe(before.snapshot);
    expect(before.transcript).toHaveLength(after.transcript.length - 2);
  });
});

describe('other workflows', () => {
  const menu: WorkflowDefinition = {
    id: 'menu',
    name: 'Menu',
    start: 'ask',
    nodes: {
      ask: {
        activity: 'inputCustomer',
        params: {
          prompt: 'Sales (1) or support (2)?',
          options: [
            { key: '1', exit: 'sales' },
            { key: '2', exit: 'support' },
          ],
          retries: 0,
        },
        exits: { sales: 'transfer', support: 'q', noMatch: 'bye' },
      },
      transfer: { activity: 'transfer', params: { serviceId: 'sales' }, exits: { failed: 'bye' } },
      q: { activity: 'queue', params: { priority: 'high' }, exits: { connectedEnded: 'bye', timeout: 'bye', nobodyEligible: 'bye' } },
      bye: { activity: 'disconnect' },
    },
  };

  it("customer replies feed the menu; the queue's own priority is shown", () => {
    const s = setup();
    let sim = startSimulation(menu, s);
    expect(said(sim)).toEqual(['Sales (1) or support (2)?']);
    expect(availableActions(sim)).toEqual(['customerMessage', 'customerLeaves']);
    sim = simulate(menu, sim, { type: 'customerMessage', text: '2' }, s);
    expect(simulationStatus(menu, sim, s).text).toMatch(/^Queued for Support at priority high/);
  });

  it('a transfer ends the run naming the target service', () => {
    const s = setup();
    const sim = simulate(menu, startSimulation(menu, s), { type: 'customerMessage', text: '1' }, s);
    expect(simulationStatus(menu, sim, s)).toEqual({ kind: 'ended', text: 'Ended: transferred to Sales.', outcome: 'transferred' });
  });

  it('a voice-only activity fails the run and says why', () => {
    const voice: WorkflowDefinition = {
      id: 'v',
      name: 'V',
      start: 'm',
      nodes: { m: { activity: 'playMusic', exits: { next: 'b' } }, b: { activity: 'disconnect' } },
    };
    const sim = startSimulation(voice, setup());
    expect(simulationStatus(voice, sim, setup())).toEqual({
      kind: 'failed',
      text: 'Failed: node "m": activity "playMusic" is not supported for Instant Messaging.',
    });
  });

  it('a loop without a wait fails as a loop', () => {
    const loop: WorkflowDefinition = { id: 'l', name: 'L', start: 'a', nodes: { a: { activity: 'markAsHandled', exits: { next: 'a' } } } };
    expect(simulationStatus(loop, startSimulation(loop, setup()), setup()).text).toMatch(/^Failed: more than 1000 steps without waiting/);
  });

  it('an exit that leads nowhere ends the run at that node', () => {
    const open: WorkflowDefinition = { id: 'o', name: 'O', start: 'a', nodes: { a: { activity: 'accept' } } };
    expect(simulationStatus(open, startSimulation(open, setup()), setup()).text).toBe(
      'Ended without an outcome (the server derives it from the chat) at "a": the exit it took is not connected.',
    );
  });

  it('a web request waits for the tester to answer it', () => {
    const web: WorkflowDefinition = {
      id: 'w',
      name: 'W',
      start: 'r',
      nodes: {
        r: { activity: 'webRequest', params: { url: 'https://example.com/x' }, exits: { success: 'ok', failure: 'ko' } },
        ok: { activity: 'message', params: { text: 'ok' }, exits: { next: 'b' } },
        ko: { activity: 'message', params: { text: 'ko' }, exits: { next: 'b' } },
        b: { activity: 'disconnect' },
      },
    };
    const s = setup();
    const sim = startSimulation(web, s);
    expect(availableActions(sim)).toContain('webAnswer');
    expect(said(simulate(web, sim, { type: 'webAnswer', ok: false }, s))).toEqual(['ko']);
    expect(said(simulate(web, sim, { type: 'webAnswer', ok: true }, s))).toEqual(['ok']);
  });
});
