/**
 * How a connected chat of the service behaves (`im.chat`): the customer's inactivity (warning, then
 * close), the agent's unanswered flag, wrap-up time and reasons, the service's canned responses
 * and the WhatsApp / SMS end keywords. Every part is optional; 0 or empty switches it off.
 */
import { useState } from 'react';
import { Button, Input, Switch, Text, Textarea, type InputProps } from '@fluentui/react-components';
import type { CannedResponse, ChatSettings } from '@stratus/shared/tenant/model';
import { NumberInput } from '../NumberInput';
import { ProblemField } from '../ProblemsContext';
import { ReadOnlyNote } from './ReadOnlyNote';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

type Inactivity = NonNullable<ChatSettings['inactivity']>;

/** Drops empty parts, so a service that turns everything off has no `chat` at all. */
function tidy(chat: ChatSettings): ChatSettings | undefined {
  const out: ChatSettings = {};
  const inactivity = Object.fromEntries(Object.entries(chat.inactivity ?? {}).filter(([, v]) => v)) as Inactivity;
  if (Object.keys(inactivity).length) out.inactivity = inactivity;
  if (chat.wrapUp) out.wrapUp = chat.wrapUp;
  if (chat.cannedResponses?.length) out.cannedResponses = chat.cannedResponses;
  if (chat.endKeywords?.length) out.endKeywords = chat.endKeywords;
  return Object.keys(out).length ? out : undefined;
}

/**
 * A list typed as text (one item per line, or comma-separated): the text stays as typed while the
 * list reaches the draft, so a separator just typed is not taken away under the cursor.
 */
function ListText({
  value,
  onList,
  lines,
  readOnly,
}: {
  value: readonly string[];
  onList: (l: string[]) => void;
  lines: boolean;
  readOnly: boolean;
}) {
  const sep = lines ? '\n' : ',';
  const [text, setText] = useState(value.join(lines ? '\n' : ', '));
  const change = (t: string) => {
    setText(t);
    onList(
      t
        .split(sep)
        .map((x) => x.trim())
        .filter(Boolean),
    );
  };
  const common: Pick<InputProps, 'readOnly'> = { readOnly };
  return lines ? (
    <Textarea value={text} {...common} onChange={(_e, d) => change(d.value)} />
  ) : (
    <Input value={text} {...common} onChange={(_e, d) => change(d.value)} />
  );
}

export function ChatTab({ service, path, onChange, readOnly }: ServiceTabProps) {
  const s = useFormStyles();
  const chat = service.im.chat ?? {};
  const p = `${path}.im.chat`;
  const [draft, setDraft] = useState<CannedResponse>({ id: '', title: '', text: '' });
  const set = (fn: (c: ChatSettings) => ChatSettings) =>
    onChange(({ im: { chat: current, ...im }, ...x }) => {
      const next = tidy(fn(current ?? {}));
      return { ...x, im: { ...im, ...(next ? { chat: next } : {}) } };
    });
  const setInactivity = (k: keyof Inactivity, n: number) => set((c) => ({ ...c, inactivity: { ...c.inactivity, [k]: n } }));
  const canned = chat.cannedResponses ?? [];
  return (
    <div className={s.form}>
      {readOnly && <ReadOnlyNote />}
      <div className={s.row}>
        <ProblemField
          className={s.grow}
          label="Warn a silent customer after, seconds"
          path={`${p}.inactivity.customerWarnSec`}
          hint="Counted from the agent's last message; 0 is off, else 30 to 86400."
        >
          <NumberInput
            value={chat.inactivity?.customerWarnSec ?? 0}
            min={0}
            max={86400}
            readOnly={readOnly}
            onValue={(n) => setInactivity('customerWarnSec', n)}
          />
        </ProblemField>
        <ProblemField
          className={s.grow}
          label="Then close the chat after, seconds"
          path={`${p}.inactivity.customerCloseSec`}
          hint="After the warning; the chat ends as inactive. 0 is off."
        >
          <NumberInput
            value={chat.inactivity?.customerCloseSec ?? 0}
            min={0}
            max={86400}
            readOnly={readOnly}
            onValue={(n) => setInactivity('customerCloseSec', n)}
          />
        </ProblemField>
      </div>
      <ProblemField
        label="Flag a customer message unanswered for, seconds"
        path={`${p}.inactivity.agentFlagSec`}
        hint="The agent sees the session flagged. 0 is off."
      >
        <NumberInput
          value={chat.inactivity?.agentFlagSec ?? 0}
          min={0}
          max={86400}
          readOnly={readOnly}
          onValue={(n) => setInactivity('agentFlagSec', n)}
        />
      </ProblemField>
      <ProblemField
        label="Wrap-up after each chat"
        path={`=${p}.wrapUp`}
        hint="No next offer until the agent saves the outcome or the time is up."
      >
        <Switch
          label={chat.wrapUp ? 'On' : 'Off'}
          checked={!!chat.wrapUp}
          disabled={readOnly}
          onChange={(_e, d) => set((c) => ({ ...c, wrapUp: d.checked ? { seconds: 60, reasons: [] } : undefined }))}
        />
      </ProblemField>
      {chat.wrapUp && (
        <div className={s.row}>
          <ProblemField className={s.grow} label="Wrap-up time, seconds" path={`${p}.wrapUp.seconds`} hint="0 to 3600.">
            <NumberInput
              value={chat.wrapUp.seconds}
              min={0}
              max={3600}
              readOnly={readOnly}
              onValue={(n) => set((c) => ({ ...c, wrapUp: { reasons: [], ...c.wrapUp, seconds: n } }))}
            />
          </ProblemField>
          <ProblemField
            className={s.grow}
            label="Outcome reasons, one per line"
            path={`${p}.wrapUp.reasons`}
            hint="Offered beside Handled and Not handled."
          >
            <ListText
              lines
              value={chat.wrapUp.reasons}
              readOnly={readOnly}
              onList={(reasons) => set((c) => ({ ...c, wrapUp: { seconds: 60, ...c.wrapUp, reasons } }))}
            />
          </ProblemField>
        </div>
      )}
      <ProblemField
        label="Canned responses"
        path={`${p}.cannedResponses`}
        hint="Agents type / and the name; {customer} and {agent} become the names."
      >
        <ul className={s.list}>
          {canned.map((r) => (
            <li key={r.id}>
              <Text weight="semibold">
                /{r.id} · {r.title}
              </Text>{' '}
              <Text size={200}>{r.text}</Text>{' '}
              {!readOnly && (
                <Button
                  size="small"
                  aria-label={`Remove /${r.id}`}
                  onClick={() => set((c) => ({ ...c, cannedResponses: (c.cannedResponses ?? []).filter((x) => x.id !== r.id) }))}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
          {canned.length === 0 && <Text size={200}>None.</Text>}
        </ul>
      </ProblemField>
      {!readOnly && (
        <div className={s.row}>
          <ProblemField label="Name" path={`=${p}.cannedResponses.new.id`}>
            <Input value={draft.id} maxLength={32} onChange={(_e, d) => setDraft({ ...draft, id: d.value })} />
          </ProblemField>
          <ProblemField label="Title" path={`=${p}.cannedResponses.new.title`}>
            <Input value={draft.title} maxLength={100} onChange={(_e, d) => setDraft({ ...draft, title: d.value })} />
          </ProblemField>
          <ProblemField className={s.grow} label="Text" path={`=${p}.cannedResponses.new.text`}>
            <Input value={draft.text} maxLength={4000} onChange={(_e, d) => setDraft({ ...draft, text: d.value })} />
          </ProblemField>
          <Button
            disabled={!draft.id.trim() || !draft.title.trim() || !draft.text.trim()}
            onClick={() => {
              const next = { id: draft.id.trim().toLowerCase(), title: draft.title.trim(), text: draft.text };
              set((c) => ({ ...c, cannedResponses: [...(c.cannedResponses ?? []), next] }));
              setDraft({ id: '', title: '', text: '' });
            }}
          >
            Add response
          </Button>
        </div>
      )}
      <ProblemField
        label="End keywords (WhatsApp and SMS)"
        path={`${p}.endKeywords`}
        hint="A customer message that is one of these words ends the chat. Separate them with commas."
      >
        <ListText
          lines={false}
          value={chat.endKeywords ?? []}
          readOnly={readOnly}
          onList={(endKeywords) => set((c) => ({ ...c, endKeywords }))}
        />
      </ProblemField>
    </div>
  );
}
