/** A service's website chat (Interact): settings, a live preview and the embed snippet. */
import { Input, MessageBar, MessageBarBody, Select, Switch, Text, Textarea, makeStyles, tokens } from '@fluentui/react-components';
import { INTERACT_LANGUAGES, type InteractLanguage, type InteractSettings } from '@stratus/shared/tenant/model';
import { messageOf, ProblemField, useProblems } from '../ProblemsContext';
import { EmbedSnippet } from './EmbedSnippet';
import { InteractPreview } from './InteractPreview';
import { OriginsInput } from './OriginsInput';
import { WIDGET_DEFAULT_COLOR } from './widgetText';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

const LANGUAGE_NAME: Record<InteractLanguage, string> = { en: 'English', de: 'Deutsch', fr: 'Français' };
const CODE = /^[a-z0-9][a-z0-9-]{1,39}$/;

const useStyles = makeStyles({
  split: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXXL, alignItems: 'flex-start' },
  swatch: {
    width: '48px',
    height: '32px',
    padding: 0,
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    background: 'transparent',
    cursor: 'pointer',
  },
});

export function InteractTab({ service, path, onChange }: ServiceTabProps) {
  const s = useFormStyles();
  const own = useStyles();
  const it = service.im.interact;
  const p = `${path}.im.interact`;
  const licensed = service.licenses.includes('interact');
  const containerProblem = messageOf(useProblems(`=${p}`));
  const set = (patch: Partial<InteractSettings>) =>
    onChange((x) => (x.im.interact ? { ...x, im: { ...x.im, interact: { ...x.im.interact, ...patch } } } : x));
  const setOptional = <K extends 'privacyPolicyUrl' | 'title' | 'color' | 'greeting' | 'language'>(k: K, v: InteractSettings[K] | '') =>
    onChange((x) => {
      if (!x.im.interact) return x;
      const { [k]: _old, ...rest } = x.im.interact;
      const interact = (v === '' || v === undefined ? rest : { ...rest, [k]: v }) as InteractSettings;
      return { ...x, im: { ...x.im, interact } };
    });
  const enable = (on: boolean) =>
    onChange(({ im: { interact: _i, ...im }, ...x }) =>
      on ? { ...x, im: { ...im, interact: { code: CODE.test(x.id) ? x.id : '', allowedOrigins: [] } } } : { ...x, im },
    );
  return (
    <div className={s.form}>
      <ProblemField
        label="Website chat (Interact)"
        path={`=${p}`}
        hint={
          licensed
            ? 'Customers start a chat from your website.'
            : 'Needs the Interact service license (a tenant admin sets it under Licenses & IM).'
        }
      >
        <Switch label={it ? 'On' : 'Off'} checked={!!it} disabled={!licensed && !it} onChange={(_e, d) => enable(d.checked)} />
      </ProblemField>
      {containerProblem === undefined && it && !licensed && (
        <MessageBar intent="warning">
          <MessageBarBody>Customers cannot reach this service from a website until it has the Interact service license.</MessageBarBody>
        </MessageBar>
      )}
      {it && (
        <div className={own.split}>
          <div className={s.form}>
            <ProblemField label="Code" path={`${p}.code`} required hint="2–40 lowercase letters, digits and dashes; unique in the tenant.">
              <Input value={it.code} onChange={(_e, d) => set({ code: d.value.trim() })} />
            </ProblemField>
            <ProblemField
              label="Allowed origins"
              path={`${p}.allowedOrigins`}
              hint="Websites that may show the chat, one per line, like https://www.contoso.com. Empty: any website."
            >
              <OriginsInput value={it.allowedOrigins} onValue={(allowedOrigins) => set({ allowedOrigins })} />
            </ProblemField>
            <ProblemField label="Privacy policy link" path={`${p}.privacyPolicyUrl`} hint="Shown next to the consent checkbox.">
              <Input type="url" value={it.privacyPolicyUrl ?? ''} onChange={(_e, d) => setOptional('privacyPolicyUrl', d.value.trim())} />
            </ProblemField>
            <ProblemField label="Title" path={`${p}.title`} hint={`Empty: "Chat with ${service.name}".`}>
              <Input value={it.title ?? ''} maxLength={80} onChange={(_e, d) => setOptional('title', d.value)} />
            </ProblemField>
            <div className={s.row}>
              <ProblemField
                className={s.grow}
                label="Colour"
                path={`${p}.color`}
                hint="The chat's accent colour, like #5b5fc7. Empty: Teams purple."
              >
                <Input
                  value={it.color ?? ''}
                  placeholder={WIDGET_DEFAULT_COLOR}
                  onChange={(_e, d) => setOptional('color', d.value.trim())}
                />
              </ProblemField>
              <input
                className={own.swatch}
                type="color"
                aria-label="Pick a colour"
                value={it.color && /^#[0-9a-f]{6}$/i.test(it.color) ? it.color : WIDGET_DEFAULT_COLOR}
                onChange={(e) => setOptional('color', e.target.value)}
              />
            </div>
            <ProblemField label="Greeting" path={`${p}.greeting`} hint="Shown above the start form (up to 500 characters).">
              <Textarea
                value={it.greeting ?? ''}
                maxLength={500}
                resize="vertical"
                onChange={(_e, d) => setOptional('greeting', d.value)}
              />
            </ProblemField>
            <ProblemField label="Language" path={`${p}.language`}>
              <Select value={it.language ?? ''} onChange={(_e, d) => setOptional('language', d.value as InteractLanguage | '')}>
                <option value="">The website's or browser's language</option>
                {INTERACT_LANGUAGES.map((l) => (
                  <option key={l} value={l}>
                    {LANGUAGE_NAME[l]}
                  </option>
                ))}
              </Select>
            </ProblemField>
          </div>
          <section aria-labelledby="preview-h">
            <Text as="h3" id="preview-h" weight="semibold" block>
              Preview
            </Text>
            <InteractPreview settings={it} serviceName={service.name} fallbackLanguage={navigator.language ?? 'en'} />
          </section>
        </div>
      )}
      {it && CODE.test(it.code) && <EmbedSnippet origin={window.location.origin} code={it.code} />}
      {!it && licensed && <Text className={s.note}>Turn the website chat on to choose its code and look.</Text>}
    </div>
  );
}
