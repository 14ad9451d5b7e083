/**
 * Distribution decisions at scale: 5,000 agents in 50 services, 20,000 queued tasks. Each decision
 * picks the next task (queue heap), picks the user (the service's policy over eligible members)
 * and applies the offer (task transition). Prints the median and p99 decision time and the memory
 * a queued task costs; the last line is one JSON object.
 *
 *   npm run bench:distribution
 */
import { idleSince } from '@stratus/shared/distribution/agent';
import { ServicePlanner } from '@stratus/shared/distribution/planner';
import { TaskQueue } from '@stratus/shared/distribution/queue';
import { offer } from '@stratus/shared/task/transitions';
import type { Task } from '@stratus/shared/task/types';
import { agent, prng, queuedTask, service, user } from '@stratus/shared/testing/fixtures';
import type { AgentRuntime } from '@stratus/shared/distribution/agent';
import type { Priority } from '@stratus/shared/tenant/model';

const AGENTS = 5_000;
const SERVICES = 50;
const QUEUED = 20_000;
const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

const rnd = prng(42);
const perService = AGENTS / SERVICES;
const services = Array.from({ length: SERVICES }, (_, s) =>
  service(
    `s${s}`,
    Array.from({ length: perService }, (_, i) => `u${s * perService + i}`),
    { type: (['direct', 'roundRobin', 'mostAvailable', 'direct'] as const)[s % 4] },
  ),
);
const users = new Map(Array.from({ length: AGENTS }, (_, i) => [`u${i}`, user(`u${i}`)] as const));
const agents = new Map<string, AgentRuntime>();
for (let i = 0; i < AGENTS; i++) {
  const s = Math.floor(i / perService);
  agents.set(
    `u${i}`,
    agent(`u${i}`, [`s${s}`], {
      lastIdleAt: Math.floor(rnd() * 1_000_000),
      imLoad: Math.floor(rnd() * 2),
      presence: rnd() < 0.1 ? 'away' : 'online',
    }),
  );
}

// Memory: what 20,000 queued tasks in their service queues cost.
const before = heapUsed();
const queues = services.map(() => [] as Task[]);
const priorities: Priority[] = ['low', 'normal', 'normal', 'normal', 'high', 'strict'];
for (let i = 0; i < QUEUED; i++) {
  const s = i % SERVICES;
  queues[s]?.push(queuedTask(`t${i}`, `s${s}`, 1_000_000 + i, priorities[Math.floor(rnd() * priorities.length)]));
}
const heaps = queues.map((q) => new TaskQueue(q));
const bytesPerTask = (heapUsed() - before) / QUEUED;

// Decisions until every agent is at capacity (or the queues are empty).
const now = 2_000_000;
const times: number[] = [];
let offers = 0;
for (let round = 0; round < 2; round++) {
  for (let s = 0; s < SERVICES; s++) {
    const svc = services[s]!;
    const planner = new ServicePlanner(svc, users, agents, {}, now);
    const heap = heaps[s]!;
    for (;;) {
      const t0 = process.hrtime.bigint();
      const task = heap.pop();
      if (!task) break;
      const userIds = planner.decide(task);
      if (!userIds) {
        heap.push(task);
        break;
      }
      offer(task, userIds, 30_000, now);
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
      offers += 1;
      for (const id of userIds) {
        const a = agents.get(id)!;
        a.imLoad += 1;
        a.lastOfferedAt = now;
        void idleSince(a);
      }
    }
  }
  // Second round: a third of the load ends, and distribution goes again.
  for (const a of agents.values()) if (a.imLoad > 0 && rnd() < 0.33) a.imLoad -= 1;
}

times.sort((a, b) => a - b);
const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((times.length * p) / 100))] ?? 0;
const median = pct(50);
const p99 = pct(99);
console.log(`distribution: ${AGENTS} agents in ${SERVICES} services, ${QUEUED} queued tasks, ${offers} decisions`);
console.log(
  `decision median ${median.toFixed(2)} µs, p99 ${p99.toFixed(2)} µs; ${bytesPerTask.toFixed(0)} bytes per queued task${gc ? '' : ' (run with --expose-gc for a steadier figure)'}`,
);
console.log(
  JSON.stringify({
    bench: 'distribution',
    agents: AGENTS,
    queued: QUEUED,
    decision_median_us: Number(median.toFixed(2)),
    decision_p99_us: Number(p99.toFixed(2)),
    bytes_per_queued_task: Math.round(bytesPerTask),
  }),
);
