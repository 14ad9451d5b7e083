/** The admin preview (`/interact/{code}/preview`): the embed snippet and the chat live in a frame. */
import { codeFromPath } from './chat';

export function snippet(origin: string, code: string): string {
  return `<script src="${origin}/interact/loader.js" data-code="${code}" async></script>`;
}

export function mountPreview(doc: Document, win: Window): void {
  const code = codeFromPath(win.location.pathname);
  const text = snippet(win.location.origin, code);
  const el = (id: string) => doc.getElementById(id) as HTMLElement;
  el('snippet').textContent = text;
  el('title').textContent = `Chat preview: ${code}`;
  (el('frame') as HTMLIFrameElement).src = `/interact/${encodeURIComponent(code)}`;
  el('copy').addEventListener('click', () => {
    void win.navigator.clipboard?.writeText(text).then(
      () => {
        el('copied').textContent = 'Copied.';
      },
      () => {
        el('copied').textContent = 'Select the snippet and copy it.';
      },
    );
  });
}

if (
  typeof document !== 'undefined' &&
  document.getElementById('snippet') &&
  !(globalThis as { __STRATUS_TEST__?: boolean }).__STRATUS_TEST__
)
  mountPreview(document, window);
