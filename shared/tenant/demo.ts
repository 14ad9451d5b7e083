/**
 * The demo tenant (DESIGN.md, "Contracts"): loaded when no configuration is given, so that
 * `npm start` on a fresh clone is useful at once. Open every day and hour, so a chat started at
 * any time reaches an agent.
 */
import type { TenantConfig } from './model';
import { DEFAULT_DISTRIBUTION } from './model';
import { defaultImWorkflow } from '../workflow/default-workflow';
import { ALWAYS_OPEN } from './validate';

export const DEMO_ENTRA_TENANT_ID = '00000000-0000-0000-0000-00000000c0de';
export const DEMO_TWILIO_ACCOUNT_SID = 'AC00000000000000000000000000000000';
export const DEMO_TWILIO_AUTH_TOKEN = 'demo-twilio-auth-token';

export function demoTenant(): TenantConfig {
  const always = () => ({ ...ALWAYS_OPEN, weekly: ALWAYS_OPEN.weekly.map((w) => ({ ...w })), exceptions: [] });
  return {
    id: 'contoso',
    name: 'Contoso',
    entraTenantId: DEMO_ENTRA_TENANT_ID,
    twilio: { accountSid: DEMO_TWILIO_ACCOUNT_SID, authToken: DEMO_TWILIO_AUTH_TOKEN, region: 'us1' },
    users: [
      {
        id: 'alice',
        upn: 'alice@contoso.com',
        entraObjectId: '00000000-0000-0000-0000-0000000a11ce',
        displayName: 'Alice Anders',
        licenses: ['im'],
        presence: 'online',
        onDuty: true,
        inBlockingCall: false,
      },
      {
        id: 'bob',
        upn: 'bob@contoso.com',
        entraObjectId: '00000000-0000-0000-0000-000000000b0b',
        displayName: 'Bob Berg',
        licenses: ['im', 'interactUser'],
        presence: 'online',
        onDuty: true,
        inBlockingCall: false,
        interact: { code: 'bob', allowedOrigins: [] },
      },
    ],
    services: [
      {
        id: 'support',
        name: 'Support',
        licenses: ['contactCenter', 'interact'],
        members: [
          { userId: 'alice', active: true },
          { userId: 'bob', active: true },
        ],
        supervisors: ['alice'],
        im: {
          enabled: true,
          workflowId: defaultImWorkflow.id,
          interact: { code: 'support', allowedOrigins: [], privacyPolicyUrl: 'https://www.contoso.com/privacy' },
          whatsapp: { sender: 'whatsapp:+15550100', sms: true },
          distribution: {
            ...DEFAULT_DISTRIBUTION,
            type: 'direct',
            offerTimeoutSec: 30,
            persistentRona: { ...DEFAULT_DISTRIBUTION.persistentRona },
          },
        },
        openingHours: always(),
      },
      {
        // A second service, so that Transfer has somewhere to go in the demo.
        id: 'sales',
        name: 'Sales',
        licenses: ['contactCenter', 'interact'],
        members: [{ userId: 'alice', active: true }],
        im: {
          enabled: true,
          workflowId: defaultImWorkflow.id,
          interact: { code: 'sales', allowedOrigins: [] },
          distribution: { ...DEFAULT_DISTRIBUTION, persistentRona: { ...DEFAULT_DISTRIBUTION.persistentRona } },
        },
        openingHours: always(),
      },
    ],
    workflows: [defaultImWorkflow],
    // Alice administers the tenant: she reads every service's reporting.
    admins: ['alice'],
  };
}
