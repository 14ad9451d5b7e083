import { isTwilioMediaUrl, twilioClient } from './twilio-client';

test("the connector region picks Twilio's region and edge (US by default)", () => {
  const base = { accountSid: 'AC00000000000000000000000000000000', authToken: 't' };
  const us = twilioClient({ ...base, region: 'us1' });
  expect(us.region).toBeUndefined();
  const ie = twilioClient({ ...base, region: 'ie1' });
  expect([ie.region, ie.edge]).toEqual(['ie1', 'dublin']);
  const au = twilioClient({ ...base, region: 'au1' });
  expect([au.region, au.edge]).toEqual(['au1', 'sydney']);
});

test("media is only fetched from Twilio's own hosts", () => {
  expect(isTwilioMediaUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1')).toBe(true);
  expect(isTwilioMediaUrl('https://mms.twiliocdn.com.evil.example/x')).toBe(false);
  expect(isTwilioMediaUrl('http://api.twilio.com/x')).toBe(false);
  expect(isTwilioMediaUrl('https://169.254.169.254/latest/meta-data')).toBe(false);
  expect(isTwilioMediaUrl('https://eviltwilio.com/x')).toBe(false);
});
