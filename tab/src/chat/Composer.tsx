/**
 * The compose box of an open session: Enter sends, the customer is told the agent is typing (at
 * most every 3 s), and `/` at the start opens the canned responses (the service's and the agent's
 * own), filtered as they type; arrow keys move, Enter or a click inserts, Escape closes. The
 * inserted text has `{customer}` and `{agent}` replaced, and stays editable before sending.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Button, Field, Text, Textarea, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import type { AgentSession } from '../../../shared/contract/api';
import type { AgentApi } from '../api';
import { fillCanned, matchCanned, slashQuery, type CannedChoice } from './canned';

/** The tab tells the server at most this often that the agent is typing (the server passes one on per 2 s). */
export const TYPING_EVERY_MS = 3000;

const useStyles = makeStyles({
  wrap: { position: 'relative', flex: 1, minWidth: '240px' },
  row: { display: 'flex', gap: '8px', alignItems: 'flex-end', flexWrap: 'wrap' },
  picker: {
    position: 'absolute',
    bottom: '100%',
    left: 0,
    right: 0,
    marginBottom: '4px',
    maxHeight: '240px',
    overflowY: 'auto',
    listStyle: 'none',
    margin: 0,
    padding: '4px',
    background: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    boxShadow: tokens.shadow16,
    zIndex: 10,
  },
  option: { padding: '6px 8px', borderRadius: tokens.borderRadiusSmall, cursor: 'pointer', display: 'flex', flexDirection: 'column' },
  active: { background: tokens.colorNeutralBackground1Selected, outline: `2px solid ${tokens.colorStrokeFocus2}` },
  preview: { color: tokens.colorNeutralForeground2, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
});

export function Composer({
  session,
  api,
  agentName,
  onSend,
}: {
  session: AgentSession;
  api: AgentApi;
  agentName: string;
  /** Sends the text; rejects when it could not (the text is then put back). */
  onSend: (text: string) => Promise<void>;
}) {
  const s = useStyles();
  const [text, setText] = useState('');
  const [canned, setCanned] = useState<CannedChoice[]>();
  const [active, setActive] = useState(0);
  const [closedFor, setClosedFor] = useState<string>();
  const lastTyping = useRef(0);
  const listId = useId();
  const query = slashQuery(text);

  useEffect(() => {
    // Loaded when the picker first opens, then kept for the session.
    if (query === undefined || canned) return;
    void api.canned(session.id).then(
      (r) =>
        setCanned([
          ...r.service.map((x) => ({ ...x, source: 'service' as const })),
          ...r.mine.map((x) => ({ ...x, source: 'mine' as const })),
        ]),
      () => setCanned([]),
    );
  }, [query, canned, api, session.id]);

  const matches = useMemo(() => (query === undefined || !canned ? [] : matchCanned(canned, query)), [query, canned]);
  const open = query !== undefined && closedFor !== text && canned !== undefined;
  const current = matches[Math.min(active, matches.length - 1)];

  const choose = (c: CannedChoice) => {
    setText(fillCanned(c.text, { customer: session.customer.displayName, agent: agentName }));
    setActive(0);
  };

  const typed = (value: string) => {
    setText(value);
    setActive(0);
    const now = Date.now();
    // A slash command is not typing to the customer; anything else is, at most every few seconds.
    if (value && slashQuery(value) === undefined && now - lastTyping.current >= TYPING_EVERY_MS) {
      lastTyping.current = now;
      void api.typing(session.id).catch(() => undefined);
    }
  };

  const send = () => {
    const t = text.trim();
    if (!t) return;
    setText('');
    lastTyping.current = 0;
    onSend(t).catch(() => setText(t));
  };

  return (
    <div className={s.row}>
      <div className={s.wrap}>
        {open && (
          <ul className={s.picker} id={listId} role="listbox" aria-label="Canned responses">
            {matches.map((c, i) => (
              <li
                key={`${c.source}:${c.id}`}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={c === current}
                className={mergeClasses(s.option, c === current && s.active)}
                // Keeps the focus in the compose box while the mouse picks.
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => choose(c)}
              >
                <Text weight="semibold">
                  /{c.id} · {c.title}
                  {c.source === 'mine' ? ' (mine)' : ''}
                </Text>
                <Text size={200} className={s.preview}>
                  {c.text}
                </Text>
              </li>
            ))}
            {matches.length === 0 && (
              <li role="option" aria-selected={false} aria-disabled="true" className={s.option}>
                <Text size={200}>No canned response matches “/{query}”.</Text>
              </li>
            )}
          </ul>
        )}
        <Field label="Your answer" hint="Type / for canned responses.">
          <Textarea
            value={text}
            onChange={(_e, d) => typed(d.value)}
            resize="vertical"
            aria-controls={open ? listId : undefined}
            aria-activedescendant={open && current ? `${listId}-${matches.indexOf(current)}` : undefined}
            onKeyDown={(e) => {
              if (open && matches.length > 0) {
                if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                  e.preventDefault();
                  const i = matches.indexOf(current!);
                  setActive((i + (e.key === 'ArrowDown' ? 1 : matches.length - 1)) % matches.length);
                  return;
                }
                if ((e.key === 'Enter' || e.key === 'Tab') && !e.shiftKey && current) {
                  e.preventDefault();
                  choose(current);
                  return;
                }
              }
              if (open && e.key === 'Escape') {
                e.preventDefault();
                setClosedFor(text);
                return;
              }
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault();
                send();
              }
            }}
          />
        </Field>
      </div>
      <Button appearance="primary" onClick={send}>
        Send
      </Button>
    </div>
  );
}
