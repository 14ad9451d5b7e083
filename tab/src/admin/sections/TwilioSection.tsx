/**
 * The tenant's Twilio connector (WhatsApp and SMS). The auth token is write-only: the server never
 * sends it back, so the field shows "stored" and a save without a new token keeps the stored one.
 */
import { useState } from 'react';
import { Button, Input, MessageBar, MessageBarBody, Select, Text, Title3 } from '@fluentui/react-components';
import type { TwilioTestResult } from '@stratus/shared/contract/admin';
import type { TenantConfig, TwilioConnector } from '@stratus/shared/tenant/model';
import type { AdminApi } from '../api';
import { ProblemGroup } from '../ProblemGroup';
import { ProblemField } from '../ProblemsContext';
import { useFormStyles } from '../services/form.styles';

const REGIONS: { value: TwilioConnector['region']; label: string }[] = [
  { value: 'us1', label: 'United States (us1)' },
  { value: 'ie1', label: 'Ireland (ie1)' },
  { value: 'au1', label: 'Australia (au1)' },
];

export function TwilioSection({
  tenant,
  stored,
  edit,
  api,
}: {
  tenant: TenantConfig;
  /** A connector with its auth token is saved on the server. */
  stored: boolean;
  edit: (fn: (t: TenantConfig) => TenantConfig) => void;
  api: AdminApi;
}) {
  const s = useFormStyles();
  const [test, setTest] = useState<TwilioTestResult>();
  const [testing, setTesting] = useState(false);
  const tw = tenant.twilio as (Omit<TwilioConnector, 'authToken'> & { authToken?: string }) | undefined;
  const set = (patch: Partial<TwilioConnector>) =>
    edit((t) => {
      if (!t.twilio) return t;
      const { authToken, ...rest } = { ...t.twilio, ...patch };
      // An empty token field means "keep the stored one": leave it out of the document.
      return { ...t, twilio: (authToken ? { ...rest, authToken } : rest) as TwilioConnector };
    });
  const runTest = async () => {
    if (!tw) return;
    setTesting(true);
    setTest(undefined);
    try {
      setTest(await api.twilioTest({ accountSid: tw.accountSid, region: tw.region, ...(tw.authToken ? { authToken: tw.authToken } : {}) }));
    } catch (e) {
      setTest({ ok: false, problem: e instanceof Error ? e.message : 'the test did not run.' });
    } finally {
      setTesting(false);
    }
  };
  return (
    <div className={s.form}>
      <Title3 as="h2">Twilio connector</Title3>
      <Text>WhatsApp and SMS reach Stratus through the tenant's Twilio account. Services choose their sender under WhatsApp & SMS.</Text>
      <ProblemGroup label="Connector" path="=twilio">
        <div>
          {tw ? (
            <Button onClick={() => edit(({ twilio: _t, ...t }) => t)}>Remove the connector</Button>
          ) : (
            <Button
              appearance="primary"
              onClick={() => edit((t) => ({ ...t, twilio: { accountSid: '', region: 'us1' } as unknown as TwilioConnector }))}
            >
              Set up a connector
            </Button>
          )}
        </div>
      </ProblemGroup>
      {tw && (
        <>
          <ProblemField
            label="Account SID"
            path="twilio.accountSid"
            required
            hint='"AC" and 32 hexadecimal digits, from the Twilio console.'
          >
            <Input value={tw.accountSid} onChange={(_e, d) => set({ accountSid: d.value.trim() })} />
          </ProblemField>
          <ProblemField
            label="Auth token"
            path="twilio.authToken"
            required={!stored}
            hint={
              stored
                ? 'Stored. Stratus never shows it; type a new one to replace it.'
                : 'From the Twilio console. Stratus never shows it again.'
            }
          >
            <Input
              type="password"
              autoComplete="new-password"
              value={tw.authToken ?? ''}
              placeholder={stored ? 'stored' : ''}
              onChange={(_e, d) => set({ authToken: d.value })}
            />
          </ProblemField>
          <ProblemField label="Region" path="twilio.region">
            <Select value={tw.region} onChange={(_e, d) => set({ region: d.value as TwilioConnector['region'] })}>
              {REGIONS.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </Select>
          </ProblemField>
          <div className={s.row}>
            <Button onClick={() => void runTest()} disabled={testing || !tw.accountSid || (!stored && !tw.authToken)}>
              {testing ? 'Testing…' : 'Test connection'}
            </Button>
          </div>
          {test && (
            <MessageBar intent={test.ok ? 'success' : 'error'} role="status">
              <MessageBarBody>
                {test.ok ? `Connected to Twilio account "${test.friendlyName}".` : `The connection does not work: ${test.problem}`}
              </MessageBarBody>
            </MessageBar>
          )}
        </>
      )}
    </div>
  );
}
