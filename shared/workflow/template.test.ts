/** Templates: parameters, live values, and escaping of what is inserted per mode. */
import { T0 } from './activities/test-kit';
import { render, templateNames } from './template';

const c = { now: T0, queuePosition: 3 };

describe('templates', () => {
  it('insert parameters, the live queue position and time; unknown names are empty', () => {
    expect(render('{{A}}-{{ Queue.Position }}-{{Nope}}-{{Time.Now}}', { A: 'x' }, c)).toBe('x-3--2026-11-25T10:00:00.000Z');
  });

  it('read the queue position when rendering, not a stale stored value', () => {
    expect(render('#{{Queue.Position}}', { 'Queue.Position': '9' }, { now: T0, queuePosition: 2 })).toBe('#2');
    expect(render('#{{Queue.Position}}', { 'Queue.Position': '9' }, { now: T0 })).toBe('#9');
  });

  it('escape what they insert: URL-encoded in URLs, JSON-escaped in bodies, control characters dropped in text', () => {
    const p = { N: 'a b&c=d/"e"\n<script>' };
    expect(render('https://x.test/?q={{N}}', p, c, 'url')).toBe('https://x.test/?q=a%20b%26c%3Dd%2F%22e%22%0A%3Cscript%3E');
    expect(JSON.parse(render('{"n":"{{N}}"}', p, c, 'json'))).toEqual({ n: p.N });
    expect(render('{{N}}', { N: 'a\u0000b\u0007c' }, c)).toBe('abc');
    // Text is text: the client renders it as text, so markup stays as typed, not interpreted here.
    expect(render('{{N}}', { N: '<b>hi</b>' }, c)).toBe('<b>hi</b>');
  });

  it('a value cannot add JSON fields or URL parameters', () => {
    const p = { N: '", "admin": true, "x": "', Q: 'x&admin=1#frag' };
    expect(JSON.parse(render('{"name":"{{N}}"}', p, c, 'json'))).toEqual({ name: p.N });
    const url = new URL(render('https://x.test/a?q={{Q}}', p, c, 'url'));
    expect([...url.searchParams.keys()]).toEqual(['q']);
    expect(url.searchParams.get('q')).toBe(p.Q);
    expect(url.hash).toBe('');
  });

  it('inserted values are not expanded again', () => {
    expect(render('Hi {{Name}}', { Name: '{{Secret}}', Secret: 'hunter2' }, c)).toBe('Hi {{Secret}}');
  });

  it('a name with a broken character (lone surrogate) does not throw in URLs', () => {
    const p = { N: 'Ann\uD83D' };
    expect(render('https://x.test/?n={{N}}', p, c, 'url')).toBe('https://x.test/?n=Ann%EF%BF%BD');
    expect(render('{{N}}', p, c)).toBe('Ann\uFFFD');
  });

  it('lists the names a template uses', () => {
    expect(templateNames('{{A}} and {{ B.C }}')).toEqual(['A', 'B.C']);
  });
});
