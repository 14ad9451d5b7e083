/** The confirmations of the supervisor's actions: reassign (to whom), end (sure?), move (where). */
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Radio,
  RadioGroup,
  Select,
  Text,
} from '@fluentui/react-components';
import type { SupervisorAgent, SupervisorServices } from '@stratus/shared/contract/supervisor';

interface Base {
  open: boolean;
  onClose: () => void;
}

function Shell(props: Base & { title: string; children: React.ReactNode; confirm: string; disabled?: boolean; onConfirm: () => void }) {
  return (
    <Dialog open={props.open} onOpenChange={(_e, d) => !d.open && props.onClose()}>
      <DialogSurface>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{props.children}</DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={props.onClose}>
              Cancel
            </Button>
            <Button appearance="primary" disabled={props.disabled} onClick={props.onConfirm}>
              {props.confirm}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}

/** Reassign: the agents of the service who could take the chat now (on duty, Active, available, with room). */
export function ReassignDialog(props: Base & { customer: string; agents: SupervisorAgent[]; onConfirm: (userId: string) => void }) {
  const [userId, setUserId] = useState('');
  const chosen = props.agents.some((a) => a.userId === userId) ? userId : '';
  return (
    <Shell
      {...props}
      title={`Reassign the chat with ${props.customer}`}
      confirm="Reassign"
      disabled={!chosen}
      onConfirm={() => props.onConfirm(chosen)}
    >
      {props.agents.length === 0 ? (
        <Text>
          Nobody else can take this chat now: an agent must be on duty, Active in this service, available in Teams and below their number of
          chats.
        </Text>
      ) : (
        <Field label="Give the chat to">
          <RadioGroup value={chosen} onChange={(_e, d) => setUserId(d.value)}>
            {props.agents.map((a) => (
              <Radio key={a.userId} value={a.userId} label={`${a.displayName} (${a.sessions} of ${a.capacity} chats)`} />
            ))}
          </RadioGroup>
        </Field>
      )}
    </Shell>
  );
}

export function EndDialog(props: Base & { customer: string; agentName: string; onConfirm: () => void }) {
  return (
    <Shell {...props} title={`End the chat with ${props.customer}?`} confirm="End chat">
      <Text>
        The chat ends now for {props.customer} and for {props.agentName}: both are told that a supervisor ended it.
      </Text>
    </Shell>
  );
}

export function MoveDialog(
  props: Base & { customer: string; from: string; services: SupervisorServices['services']; onConfirm: (serviceId: string) => void },
) {
  const targets = props.services.filter((s) => s.id !== props.from && s.imEnabled);
  const [to, setTo] = useState('');
  const chosen = targets.some((s) => s.id === to) ? to : (targets[0]?.id ?? '');
  return (
    <Shell {...props} title={`Move ${props.customer}'s chat`} confirm="Move" disabled={!chosen} onConfirm={() => props.onConfirm(chosen)}>
      {targets.length === 0 ? (
        <Text>There is no other service with chat that you supervise.</Text>
      ) : (
        <Field label="To the service" hint="The chat goes on in that service's workflow and queue.">
          <Select value={chosen} onChange={(_e, d) => setTo(d.value)}>
            {targets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </Field>
      )}
    </Shell>
  );
}
