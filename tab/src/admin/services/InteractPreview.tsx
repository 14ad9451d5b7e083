/**
 * A faithful miniature of the customer widget's start form, drawn from the form's values (title,
 * colour, greeting, language, privacy link). Inert: it shows, it cannot be used.
 */
import { Button, Checkbox, Input, Textarea } from '@fluentui/react-components';
import type { InteractSettings } from '@stratus/shared/tenant/model';
import { usePreviewStyles } from './InteractPreview.styles';
import { WIDGET_DEFAULT_COLOR, WIDGET_TEXT } from './widgetText';

export function InteractPreview({
  settings,
  serviceName,
  fallbackLanguage,
}: {
  settings: InteractSettings;
  serviceName: string;
  fallbackLanguage: string;
}) {
  const s = usePreviewStyles();
  const lang = settings.language ?? (fallbackLanguage.slice(0, 2) as InteractSettings['language']);
  const t = WIDGET_TEXT[lang && lang in WIDGET_TEXT ? lang : 'en'];
  const accent = /^#[0-9a-f]{6}$/i.test(settings.color ?? '') ? (settings.color as string) : WIDGET_DEFAULT_COLOR;
  return (
    <div className={s.frame} inert lang={lang ?? 'en'} data-testid="interact-preview">
      <p className={s.title}>{settings.title?.trim() || t.title(serviceName)}</p>
      {settings.greeting?.trim() && <p className={s.greeting}>{settings.greeting}</p>}
      <p className={s.intro}>{t.intro}</p>
      <span className={s.label}>{t.name}</span>
      <Input size="small" tabIndex={-1} readOnly />
      <span className={s.label}>{t.email}</span>
      <Input size="small" tabIndex={-1} readOnly />
      <span className={s.label}>
        {t.help} <span className={s.optional}>{t.optional}</span>
      </span>
      <Textarea size="small" tabIndex={-1} readOnly rows={2} />
      <div className={s.consent}>
        <Checkbox tabIndex={-1} />
        <span>
          {t.consent[0]}
          <span style={{ color: accent, textDecoration: 'underline' }} title={settings.privacyPolicyUrl}>
            {t.consent[1]}
          </span>
          {t.consent[2]}
        </span>
      </div>
      <Button className={s.start} tabIndex={-1} style={{ backgroundColor: accent, borderColor: accent }}>
        {t.start}
      </Button>
    </div>
  );
}
