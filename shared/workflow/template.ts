/**
 * Text templates: `Hello {{Customer.DisplayName}}`. What is inserted is escaped for where it goes:
 * `text` for messages (the client renders text, never HTML, so nothing to escape but control
 * characters), `url` (each value URL-encoded, so a customer cannot add query parameters or
 * change the path), `json` (each value escaped as the inside of a JSON string). `Queue.Position`
 * and `Time.Now` are read when the template is rendered; an unknown parameter renders empty.
 * Inserted values are never expanded again, so a customer who types `{{X}}` gets those characters.
 */
import type { EngineContext } from './types';

export type TemplateMode = 'text' | 'url' | 'json';

const PATTERN = /\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}/g;

export function lookup(name: string, params: Readonly<Record<string, string>>, ctx: Pick<EngineContext, 'now' | 'queuePosition'>): string {
  if (name === 'Queue.Position') return ctx.queuePosition !== undefined ? String(ctx.queuePosition) : (params[name] ?? '');
  if (name === 'Time.Now') return new Date(ctx.now).toISOString();
  return params[name] ?? '';
}

/** Lone UTF-16 surrogates (a truncated emoji in a name): `encodeURIComponent` would throw on them. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function escape(raw: string, mode: TemplateMode): string {
  const value = raw.replace(LONE_SURROGATE, '\uFFFD');
  switch (mode) {
    case 'text':
      return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
    case 'url':
      return encodeURIComponent(value);
    case 'json':
      return JSON.stringify(value).slice(1, -1);
  }
}

export function render(
  template: string,
  params: Readonly<Record<string, string>>,
  ctx: Pick<EngineContext, 'now' | 'queuePosition'>,
  mode: TemplateMode = 'text',
): string {
  if (!template.includes('{{')) return template;
  return template.replace(PATTERN, (_m, name: string) => escape(lookup(name, params, ctx), mode));
}

/** Names used by a template (validation and docs). */
export function templateNames(template: string): string[] {
  return [...template.matchAll(PATTERN)].map((m) => m[1] as string);
}
