/** A service's WhatsApp sender and whether the same number takes SMS (Contact Center license, tenant Twilio connector). */
import { Input, MessageBar, MessageBarBody, Switch } from '@fluentui/react-components';
import { ProblemField } from '../ProblemsContext';
import { ReadOnlyNote } from './ReadOnlyNote';
import { useFormStyles } from './form.styles';
import type { ServiceTabProps } from './types';

export function WhatsAppTab({ service, path, onChange, readOnly, ctx }: ServiceTabProps) {
  const s = useFormStyles();
  const wa = service.im.whatsapp;
  const p = `${path}.im.whatsapp`;
  const licensed = service.licenses.includes('contactCenter');
  const enable = (on: boolean) =>
    onChange(({ im: { whatsapp: _w, ...im }, ...x }) =>
      on ? { ...x, im: { ...im, whatsapp: { sender: '', sms: false } } } : { ...x, im },
    );
  return (
    <div className={s.form}>
      {readOnly && <ReadOnlyNote />}
      <ProblemField
        label="WhatsApp"
        path={`=${p}`}
        hint={licensed ? 'Customers write to the service’s WhatsApp number.' : 'Needs the Contact Center service license.'}
      >
        <Switch
          label={wa ? 'On' : 'Off'}
          checked={!!wa}
          disabled={readOnly || (!licensed && !wa)}
          onChange={(_e, d) => enable(d.checked)}
        />
      </ProblemField>
      {ctx.twilioConfigured === false && (
        <MessageBar intent="warning">
          <MessageBarBody>WhatsApp and SMS need the tenant's Twilio connector: set it up under Twilio connector first.</MessageBarBody>
        </MessageBar>
      )}
      {wa && (
        <>
          <ProblemField label="Sender" path={`${p}.sender`} required hint='The Twilio number, like "whatsapp:+15550100" or "+15550100".'>
            <Input
              value={wa.sender}
              readOnly={readOnly}
              onChange={(_e, d) =>
                onChange((x) => (x.im.whatsapp ? { ...x, im: { ...x.im, whatsapp: { ...x.im.whatsapp, sender: d.value.trim() } } } : x))
              }
            />
          </ProblemField>
          <ProblemField label="SMS" path={`${p}.sms`} hint="Customers may also text the same number.">
            <Switch
              label={wa.sms ? 'On' : 'Off'}
              checked={!!wa.sms}
              disabled={readOnly}
              onChange={(_e, d) =>
                onChange((x) => (x.im.whatsapp ? { ...x, im: { ...x.im, whatsapp: { ...x.im.whatsapp, sms: d.checked } } } : x))
              }
            />
          </ProblemField>
        </>
      )}
    </div>
  );
}
