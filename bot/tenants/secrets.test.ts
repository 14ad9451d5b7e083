import { randomBytes } from 'node:crypto';
import { demoTenant } from '@stratus/shared/tenant/demo';
import { keepStoredSecrets, openTenant, sealTenant, SecretBox, SecretKeyError, withoutSecrets } from './secrets';

const token = '0123456789abcdef0123456789abcdef';
const tenant = () => ({ ...demoTenant(), twilio: { ...demoTenant().twilio!, authToken: token } });

test('a sealed tenant holds no clear secret and opens back to the same tenant', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = sealTenant(box, tenant());
  expect(JSON.stringify(sealed)).not.toContain(token);
  expect(sealed.twilio?.authToken).toMatch(/^sealed:v1:/);
  // Sealing twice does not seal the sealed value; each seal uses a new nonce.
  expect(sealTenant(box, sealed)).toEqual(sealed);
  expect(sealTenant(box, tenant()).twilio?.authToken).not.toBe(sealed.twilio?.authToken);
  expect(openTenant(box, sealed)).toEqual(tenant());
});

test('another key, or a damaged value, cannot open it and says so', () => {
  const sealed = sealTenant(new SecretBox(randomBytes(32)), tenant());
  expect(() => openTenant(new SecretBox(randomBytes(32)), sealed)).toThrow(/another STRATUS_SECRET_KEY/);
  const box = new SecretBox(Buffer.alloc(32, 3));
  const mine = sealTenant(box, tenant());
  const damaged = { ...mine, twilio: { ...mine.twilio!, authToken: `${mine.twilio!.authToken.slice(0, -4)}AAAA` } };
  expect(() => openTenant(box, damaged)).toThrow(SecretKeyError);
});

test('the API view has no secret; a document without one keeps the stored one for the same account only', () => {
  expect(withoutSecrets(tenant()).twilio).toEqual({ accountSid: tenant().twilio.accountSid, region: 'us1' });
  const sent = withoutSecrets(tenant());
  expect((keepStoredSecrets(sent, tenant()) as typeof sent).twilio?.authToken).toBe(token);
  const otherAccount = { ...sent, twilio: { ...sent.twilio!, accountSid: 'AC11111111111111111111111111111111' } };
  expect((keepStoredSecrets(otherAccount, tenant()) as typeof sent).twilio?.authToken).toBeUndefined();
  const newToken = { ...sent, twilio: { ...sent.twilio!, authToken: 'ffffffffffffffffffffffffffffffff' } };
  expect((keepStoredSecrets(newToken, tenant()) as typeof sent).twilio?.authToken).toBe('ffffffffffffffffffffffffffffffff');
});
