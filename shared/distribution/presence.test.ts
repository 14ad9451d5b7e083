import { presenceFromGraph } from './presence';

test.each([
  ['Available', 'Available', 'online', false],
  ['AvailableIdle', 'AvailableIdle', 'online', false],
  ['Busy', 'InAMeeting', 'busy', false],
  ['Busy', 'InACall', 'busy', true],
  ['BusyIdle', 'BusyIdle', 'busy', false],
  ['DoNotDisturb', 'Presenting', 'doNotDisturb', false],
  ['DoNotDisturb', 'InAConferenceCall', 'doNotDisturb', true],
  ['Away', 'Away', 'away', false],
  ['BeRightBack', 'BeRightBack', 'beRightBack', false],
  ['Offline', 'OffWork', 'offline', false],
  ['PresenceUnknown', 'PresenceUnknown', 'offline', false],
  ['SomethingNew', 'Available', 'offline', false],
])('Graph %s / %s is %s (blocking call: %s)', (availability, activity, presence, inBlockingCall) => {
  expect(presenceFromGraph(availability, activity)).toEqual({ presence, inBlockingCall });
});
