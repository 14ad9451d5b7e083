/**
 * Workflow engine throughput: 10,000 workflows of 20 steps each, driven as the server drives
 * them (start, a customer answer, a timer, the queue exit), every snapshot stored and read back
 * as JSON between events. Prints steps per second and the median snapshot size; the last line is
 * one JSON object.
 *
 *   npm run bench:workflow
 */
import { demoTenant } from '@stratus/shared/tenant/demo';
import type { WorkflowDefinition } from '@stratus/shared/workflow/definition';
import { resumeWorkflow, startWorkflow, type EngineContext, type WorkflowSnapshot } from '@stratus/shared/workflow/engine';
import { validateWorkflow } from '@stratus/shared/workflow/validate';

const WORKFLOWS = 10_000;
/** accept, hours, hello, ask | ask, check, prio, save1, users, route, queue, tell, wait | wait, ct, tell, wait | thanks, mark, done. */
const STEPS = 20;
const tenant = demoTenant();
const service = tenant.services[0]!;

const def: WorkflowDefinition = {
  id: 'bench',
  name: 'Bench',
  start: 'accept',
  nodes: {
    accept: { activity: 'accept', exits: { next: 'hours' } },
    hours: { activity: 'checkOpeningHours', exits: { open: 'hello', closed: 'bye', holiday: 'bye' } },
    hello: {
      activity: 'message',
      params: { text: 'Hello {{Customer.DisplayName}}, welcome to {{Service.Name}}.' },
      exits: { next: 'ask' },
    },
    ask: {
      activity: 'collectInformation',
      params: { prompt: 'Your order number?', parameter: 'Order', validation: 'number', retries: 2 },
      exits: { ok: 'check', failed: 'bye' },
    },
    check: {
      activity: 'checkParameter',
      params: { parameter: 'Order', conditions: [{ op: 'gt', value: 1000, exit: 'big' }] },
      exits: { big: 'prio', noMatch: 'save1' },
    },
    prio: { activity: 'distributionPriority', params: { priority: 'high' }, exits: { next: 'save1' } },
    save1: { activity: 'saveToParameter', params: { parameter: 'Topic', value: 'order {{Order}}' }, exits: { next: 'users' } },
    users: { activity: 'getAvailableUsers', exits: { next: 'route' } },
    route: { activity: 'availabilityRouting', exits: { available: 'queue', allBusy: 'queue', nobodyOnDuty: 'bye' } },
    queue: {
      activity: 'queueTask',
      params: { maxQueueTimeSec: 900 },
      exits: { next: 'tell', connectedEnded: 'thanks', timeout: 'bye', nobodyEligible: 'bye' },
    },
    tell: { activity: 'message', params: { text: 'You are number {{Queue.Position}}.' }, exits: { next: 'wait' } },
    wait: { activity: 'delay', params: { seconds: 60 }, exits: { next: 'ct' } },
    ct: { activity: 'checkTask', exits: { queued: 'tell', connected: 'idle', notQueued: 'idle' } },
    idle: { activity: 'delay', params: { seconds: 3600 }, exits: { next: 'ct' } },
    thanks: { activity: 'message', params: { text: 'Thank you, {{Customer.DisplayName}}.' }, exits: { next: 'mark' } },
    mark: { activity: 'markAsHandled', exits: { next: 'done' } },
    done: { activity: 'disconnectAsHandled' },
    bye: { activity: 'disconnect' },
  },
};
const problems = validateWorkflow(def);
if (problems.length) throw new Error(`bench workflow invalid: ${JSON.stringify(problems)}`);

const base = Date.UTC(2026, 10, 25, 10);
const ctx = (now: number, taskState: EngineContext['taskState'], queuePosition?: number): EngineContext => ({
  now,
  tenant,
  service,
  availability: { available: 2, busy: 0, onDuty: 2 },
  availableUsers: ['alice', 'bob'],
  taskState,
  ...(queuePosition ? { queuePosition } : {}),
});

const sizes: number[] = [];
let steps = 0;
const store = (s: WorkflowSnapshot): WorkflowSnapshot => {
  const json = JSON.stringify(s);
  sizes.push(json.length);
  return JSON.parse(json) as WorkflowSnapshot;
};

const t0 = process.hrtime.bigint();
for (let i = 0; i < WORKFLOWS; i++) {
  const params = {
    'Customer.DisplayName': `Customer ${i}`,
    'Customer.Email': `c${i}@example.com`,
    'Customer.Phone': '',
    Channel: 'interact',
    'Service.Name': service.name,
    'Service.Id': service.id,
  };
  let r = startWorkflow(def, { params }, ctx(base, 'workflow'));
  r = resumeWorkflow(def, store(r.snapshot), { type: 'customerMessage', text: String(1001 + (i % 1000)) }, ctx(base + 5000, 'workflow'));
  r = resumeWorkflow(def, store(r.snapshot), { type: 'timer', at: base + 65_000 }, ctx(base + 65_000, 'queued', 3));
  r = resumeWorkflow(def, store(r.snapshot), { type: 'taskConnected' }, ctx(base + 70_000, 'connected'));
  r = resumeWorkflow(def, store(r.snapshot), { type: 'queueExit', exit: 'connectedEnded' }, ctx(base + 300_000, 'ended'));
  if (r.snapshot.status !== 'ended') throw new Error(`workflow ${i} did not end: ${JSON.stringify(r.snapshot)}`);
  if (r.snapshot.steps !== STEPS) throw new Error(`workflow ${i} ran ${r.snapshot.steps} steps, not ${STEPS}`);
  steps += r.snapshot.steps;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
sizes.sort((a, b) => a - b);
const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
const perWorkflow = steps / WORKFLOWS;
const stepsPerSec = Math.round(steps / seconds);
console.log(
  `workflow: ${WORKFLOWS} workflows, ${perWorkflow} steps each, ${steps} steps in ${seconds.toFixed(2)} s (JSON round trip of the snapshot between events included)`,
);
console.log(`${stepsPerSec} steps/s; snapshot median ${median} bytes, max ${sizes.at(-1)} bytes`);
console.log(JSON.stringify({ bench: 'workflow', workflows: WORKFLOWS, steps_per_s: stepsPerSec, snapshot_bytes_median: median }));
