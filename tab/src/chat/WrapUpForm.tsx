/**
 * The wrap-up of an ended session: the outcome (handled, not handled, or one of the service's
 * reasons), an optional note, Save, and the time left before the next offer comes anyway.
 * Saving ends the wrap-up time; a saved wrap-up can be corrected while that time would still run.
 */
import { useEffect, useId, useState } from 'react';
import {
  Button,
  Field,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AgentSession } from '../../../shared/contract/api';
import { ApiError, type AgentApi } from '../api';

/** What the form shows for the two outcomes every service offers. */
const OUTCOME_LABEL: Record<string, string> = { handled: 'Handled', notHandled: 'Not handled' };
/** The server's limit on a note. */
export const MAX_NOTE = 2000;

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
    padding: '12px',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    maxWidth: '560px',
  },
  row: { display: 'flex', gap: '8px', alignItems: 'center', flexWrap: 'wrap' },
});

export function WrapUpForm({
  session,
  api,
  now,
  onSaved,
}: {
  session: AgentSession;
  api: AgentApi;
  now: number;
  onSaved: (s: AgentSession) => void;
}) {
  const s = useStyles();
  const headingId = useId();
  const wrapUp = session.wrapUp!;
  const [outcomes, setOutcomes] = useState<string[]>(['handled', 'notHandled']);
  const [outcome, setOutcome] = useState(wrapUp.outcome ?? '');
  const [note, setNote] = useState(wrapUp.note ?? '');
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  useEffect(() => {
    void api.wrapUpOptions(session.id).then(
      (r) => setOutcomes(r.outcomes),
      () => undefined,
    );
  }, [api, session.id]);

  const left = Math.max(0, Math.round((Date.parse(wrapUp.until) - now) / 1000));
  const filed = wrapUp.filedAt !== undefined;
  // Filed and its time over: the server keeps it as it is.
  const closed = filed && left === 0;

  const save = async () => {
    if (!outcome) return setError('Choose an outcome.');
    setSaving(true);
    setError(undefined);
    try {
      onSaved(await api.wrapUp(session.id, { outcome, ...(note.trim() ? { note: note.trim() } : {}) }));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'The wrap-up could not be saved. Please try again.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className={s.form}
      aria-labelledby={headingId}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <div className={s.row}>
        <Text as="h3" weight="semibold" id={headingId}>
          Wrap-up
        </Text>
        <Text role="timer" aria-live="off">
          {filed
            ? `Saved${wrapUp.outcome ? `: ${OUTCOME_LABEL[wrapUp.outcome] ?? wrapUp.outcome}` : ''}`
            : left > 0
              ? `Next chat in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')} or when you save`
              : 'Wrap-up time is over: you can still save the outcome.'}
        </Text>
      </div>
      {error && (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{error}</MessageBarBody>
        </MessageBar>
      )}
      <Field label="Outcome" required>
        <RadioGroup value={outcome} onChange={(_e, d) => setOutcome(d.value)} disabled={closed}>
          {outcomes.map((o) => (
            <Radio key={o} value={o} label={OUTCOME_LABEL[o] ?? o} />
          ))}
        </RadioGroup>
      </Field>
      <Field label="Note (optional)" hint={`${note.length} / ${MAX_NOTE}`}>
        <Textarea value={note} maxLength={MAX_NOTE} onChange={(_e, d) => setNote(d.value)} disabled={closed} resize="vertical" />
      </Field>
      {!closed && (
        <div className={s.row}>
          <Button type="submit" appearance="primary" disabled={saving || !outcome}>
            {filed ? 'Save correction' : 'Save wrap-up'}
          </Button>
        </div>
      )}
    </form>
  );
}
