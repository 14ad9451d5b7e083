/**
 * Test run: simulates a customer against the open definition with the shared engine, in the
 * browser (nothing reaches the server). The tester sets the situation, starts, answers as the
 * customer and plays the host's events (timers, an agent, the queue); the panel shows the
 * transcript and where the run stands.
 */
import { useId, useMemo, useState } from 'react';
import { Badge, Button, Field, Input, Text } from '@fluentui/react-components';
import type { ServiceConfig } from '../../../../shared/tenant/model';
import type { WorkflowDefinition } from '../../../../shared/workflow/definition';
import {
  availableActions,
  simulate,
  simulatedService,
  simulationStatus,
  startSimulation,
  type SimAction,
  type SimSetup,
  type Simulation,
  type SimStatus,
} from './simulation';
import { Transcript } from './Transcript';
import { TestRunSetup, toLocalInput, type SetupValues } from './TestRunSetup';
import { useTestRunStyles } from './TestRunPanel.styles';

export interface TestRunPanelProps {
  def: WorkflowDefinition;
  services: readonly ServiceConfig[];
}

const STATUS_BADGE: Record<SimStatus['kind'], { text: string; color: 'brand' | 'success' | 'informative' | 'danger' | 'subtle' }> = {
  running: { text: 'Running', color: 'informative' },
  queued: { text: 'Queued', color: 'brand' },
  connected: { text: 'Connected', color: 'success' },
  ended: { text: 'Ended', color: 'subtle' },
  failed: { text: 'Failed', color: 'danger' },
};

function toSetup(v: SetupValues, services: readonly ServiceConfig[]): SimSetup {
  const service = services.find((s) => s.id === v.serviceId);
  const now = new Date(v.time).getTime();
  return {
    now: Number.isFinite(now) ? now : Date.now(),
    hours: v.hours === 'calendar' && !service ? 'open' : v.hours,
    available: v.available,
    busy: v.busy,
    queuePosition: v.queuePosition,
    customerName: v.customerName,
    ...(service ? { service } : {}),
    services,
  };
}

export function TestRunPanel({ def, services }: TestRunPanelProps) {
  const styles = useTestRunStyles();
  const headingId = useId();
  const [values, setValues] = useState<SetupValues>(() => ({
    serviceId: services.find((s) => s.im.workflowId === def.id)?.id ?? '',
    time: toLocalInput(Date.now()),
    hours: 'open',
    available: 1,
    busy: 0,
    queuePosition: 1,
    customerName: 'Test customer',
  }));
  const [sim, setSim] = useState<Simulation>();
  const [reply, setReply] = useState('');
  const setup = useMemo(() => toSetup(values, services), [values, services]);

  const act = (action: SimAction) => setSim((s) => (s ? simulate(def, s, action, setup) : s));
  const send = () => {
    if (!sim || reply.trim() === '') return;
    act({ type: 'customerMessage', text: reply });
    setReply('');
  };
  const status = sim ? simulationStatus(def, sim, setup) : undefined;
  const actions = sim ? availableActions(sim) : [];
  const serviceName = simulatedService(setup, def.id, setup.now).name;

  return (
    <section className={styles.root} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.heading}>
        Test run
      </h3>
      <Text>Plays a customer's chat against this workflow as it is now, in the browser only: nothing is saved or sent.</Text>
      <TestRunSetup value={values} services={services} onChange={setValues} />
      <div className={styles.actions}>
        <Button appearance="primary" onClick={() => setSim(startSimulation(def, setup))}>
          {sim ? 'Restart test run' : 'Start test run'}
        </Button>
      </div>
      {sim && status && (
        <>
          <div className={styles.status} role="status" aria-label="Test run state">
            <Badge className={styles.badge} color={STATUS_BADGE[status.kind].color}>
              {STATUS_BADGE[status.kind].text}
            </Badge>
            <Text>{status.text}</Text>
          </div>
          <Transcript lines={sim.transcript} serviceName={serviceName} />
          <div className={styles.reply}>
            <Field label="Customer's reply" className={styles.grow}>
              <Input
                value={reply}
                disabled={sim.snapshot.status === 'ended'}
                onChange={(_, d) => setReply(d.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') send();
                }}
              />
            </Field>
            <Button disabled={sim.snapshot.status === 'ended' || reply.trim() === ''} onClick={send}>
              Send
            </Button>
          </div>
          {actions.length > 0 && (
            <div className={styles.actions} role="group" aria-label="Simulate events">
              {actions.includes('fireTimer') && <Button onClick={() => act({ type: 'fireTimer' })}>Skip the wait</Button>}
              {actions.includes('webAnswer') && (
                <>
                  <Button onClick={() => act({ type: 'webAnswer', ok: true })}>Web request succeeds</Button>
                  <Button onClick={() => act({ type: 'webAnswer', ok: false })}>Web request fails</Button>
                </>
              )}
              {actions.includes('agentAccepts') && <Button onClick={() => act({ type: 'agentAccepts' })}>An agent accepts</Button>}
              {actions.includes('queueExit') && (
                <>
                  {sim.task === 'connected' && (
                    <Button onClick={() => act({ type: 'queueExit', exit: 'connectedEnded' })}>The agent ends the session</Button>
                  )}
                  {sim.task !== 'connected' && (
                    <Button onClick={() => act({ type: 'queueExit', exit: 'timeout' })}>The queue times out</Button>
                  )}
                  {sim.task !== 'connected' && (
                    <Button onClick={() => act({ type: 'queueExit', exit: 'nobodyEligible' })}>Nobody can take it</Button>
                  )}
                </>
              )}
              {actions.includes('customerLeaves') && <Button onClick={() => act({ type: 'customerLeaves' })}>The customer leaves</Button>}
            </div>
          )}
        </>
      )}
    </section>
  );
}
