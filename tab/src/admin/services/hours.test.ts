import { summarizeWeek, upcoming } from './hours';

describe('opening hours summary', () => {
  it('groups consecutive days with the same hours, Monday first', () => {
    const weekly = [1, 2, 3, 4, 5].map((day) => ({ day, from: '08:00', to: '17:00' }));
    expect(summarizeWeek([...weekly, { day: 6, from: '09:00', to: '12:00' }])).toBe('Mon–Fri 08:00–17:00; Sat 09:00–12:00');
  });
  it('says all day for 00:00–24:00 and closed for an empty week', () => {
    expect(summarizeWeek([0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, from: '00:00', to: '24:00' })))).toBe('Mon–Sun all day');
    expect(summarizeWeek([])).toBe('Closed every day');
  });
  it('lists split days with both ranges', () => {
    expect(
      summarizeWeek([
        { day: 1, from: '13:00', to: '17:00' },
        { day: 1, from: '08:00', to: '12:00' },
      ]),
    ).toBe('Mon 08:00–12:00, 13:00–17:00');
  });
  it('keeps upcoming exceptions only, soonest first', () => {
    const hours = {
      timeZone: 'UTC',
      weekly: [],
      exceptions: [
        { date: '2026-12-25', name: 'Christmas', kind: 'holiday' as const },
        { date: '2026-01-01', name: 'New year', kind: 'holiday' as const },
        { date: '2026-08-01', name: 'National day', kind: 'holiday' as const },
      ],
    };
    expect(upcoming(hours, '2026-06-01').map((e) => e.name)).toEqual(['National day', 'Christmas']);
  });
});
