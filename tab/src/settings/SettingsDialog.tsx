/**
 * The agent's own settings: offer alerts (a desktop notification and a sound for a new offer,
 * off by default; turning them on asks the browser's permission) and "My responses", the agent's
 * canned responses beside the service's. Everything is shown as text, never as HTML.
 */
import { useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import type { AgentPrefs } from '../../../shared/contract/api';
import type { CannedResponse } from '../../../shared/tenant/model';
import { ApiError, type AgentApi } from '../api';
import { askNotificationPermission } from '../alerts';

const useStyles = makeStyles({
  list: { listStyle: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: '6px' },
  item: {
    display: 'flex',
    gap: '8px',
    alignItems: 'flex-start',
    justifyContent: 'space-between',
    padding: '6px 8px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  section: { display: 'flex', flexDirection: 'column', gap: '8px', marginTop: '12px' },
  row: { display: 'flex', gap: '8px', flexWrap: 'wrap' },
});

export function SettingsDialog({ api, prefs, onPrefs }: { api: AgentApi; prefs: AgentPrefs; onPrefs: (p: AgentPrefs) => void }) {
  const s = useStyles();
  const [error, setError] = useState<string>();
  const [permission, setPermission] = useState<string>();
  const [draft, setDraft] = useState<CannedResponse>({ id: '', title: '', text: '' });

  const save = async (change: Partial<AgentPrefs>) => {
    setError(undefined);
    try {
      onPrefs(await api.putPrefs(change));
      return true;
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Your settings could not be saved.');
      return false;
    }
  };

  const toggleAlerts = async (on: boolean) => {
    setPermission(undefined);
    if (on && !(await askNotificationPermission()))
      setPermission('The browser does not allow notifications here: you will hear the sound only.');
    await save({ offerAlerts: on });
  };

  const add = async () => {
    const next = { id: draft.id.trim().toLowerCase(), title: draft.title.trim(), text: draft.text };
    if (await save({ cannedResponses: [...prefs.cannedResponses, next] })) setDraft({ id: '', title: '', text: '' });
  };

  return (
    <Dialog>
      <DialogTrigger disableButtonEnhancement>
        <Button>Settings</Button>
      </DialogTrigger>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Settings</DialogTitle>
          <DialogContent>
            {error && (
              <MessageBar intent="error" role="alert">
                <MessageBarBody>{error}</MessageBarBody>
              </MessageBar>
            )}
            <Switch
              label="Desktop notification and sound for a new offer"
              checked={prefs.offerAlerts}
              onChange={(_e, d) => void toggleAlerts(d.checked)}
            />
            {permission && (
              <Text block size={200} role="status">
                {permission}
              </Text>
            )}
            <section className={s.section} aria-labelledby="my-responses-h">
              <Text as="h3" weight="semibold" id="my-responses-h">
                My responses
              </Text>
              <Text size={200}>
                Type / and the name in a chat to insert one. {'{customer}'} and {'{agent}'} become the names.
              </Text>
              <ul className={s.list}>
                {prefs.cannedResponses.map((r) => (
                  <li key={r.id} className={s.item}>
                    <span>
                      <Text weight="semibold">
                        /{r.id} · {r.title}
                      </Text>
                      <Text block size={200} className={s.text}>
                        {r.text}
                      </Text>
                    </span>
                    <Button
                      size="small"
                      aria-label={`Remove /${r.id}`}
                      onClick={() => void save({ cannedResponses: prefs.cannedResponses.filter((x) => x.id !== r.id) })}
                    >
                      Remove
                    </Button>
                  </li>
                ))}
                {prefs.cannedResponses.length === 0 && <Text size={200}>None yet.</Text>}
              </ul>
              <div className={s.row}>
                <Field label="Name" hint="Lowercase letters, digits, - and _">
                  <Input value={draft.id} maxLength={32} onChange={(_e, d) => setDraft({ ...draft, id: d.value })} />
                </Field>
                <Field label="Title">
                  <Input value={draft.title} maxLength={100} onChange={(_e, d) => setDraft({ ...draft, title: d.value })} />
                </Field>
              </div>
              <Field label="Text">
                <Textarea value={draft.text} maxLength={4000} onChange={(_e, d) => setDraft({ ...draft, text: d.value })} />
              </Field>
              <div className={s.row}>
                <Button onClick={() => void add()} disabled={!draft.id.trim() || !draft.title.trim() || !draft.text.trim()}>
                  Add response
                </Button>
              </div>
            </section>
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="primary">Close</Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
