/**
 * The rating form of an ended chat (chat.html `#rating`): five stars as native radio buttons (so
 * the keyboard and screen readers work as with any radio group: Tab in, arrows to choose), an
 * optional comment, Send; then "Thank you". The server says whether the chat asks for a rating
 * (`status().rating`), so a reload shows the form or the thanks again.
 */
import { t, type Lang } from './i18n';
import { StratusApiError, type CsatRating, type CustomerRating, type StratusChat } from './sdk';

export interface RatingDeps {
  /** The page's language now. */
  lang: () => Lang;
  /** The message composer, hidden while the form or the thanks stand in its place. */
  composer: HTMLElement;
  /** Keep the chat for a reload (the form still stands) / forget it (nothing left to do). */
  keep: () => void;
  forget: () => void;
}

function byId<T extends HTMLElement>(doc: Document, id: string): T {
  const el = doc.getElementById(id);
  if (!el) throw new Error(`#${id} missing`);
  return el as T;
}

/** Wires the form; `lookForRating` asks the server once the chat has ended, `hide` takes it away (a chat that is gone). */
export function wireRating(doc: Document, chat: StratusChat, deps: RatingDeps): { lookForRating(): Promise<void>; hide(): void } {
  const form = byId<HTMLFormElement>(doc, 'rating');
  const comment = byId<HTMLTextAreaElement>(doc, 'rating-comment');
  const error = byId(doc, 'rating-error');
  const send = byId<HTMLButtonElement>(doc, 'rating-send');
  const thanks = byId(doc, 'rating-thanks');
  const stars = Array.from(form.querySelectorAll<HTMLInputElement>('input[name="stars"]'));

  const show = (r: CustomerRating | undefined) => {
    const asked = r !== undefined && 'asked' in r;
    const hadFocus = form.contains(doc.activeElement);
    form.hidden = !asked;
    // An ended chat's composer has nothing to do: the form or the thanks take its place.
    deps.composer.hidden = r !== undefined;
    if (r && 'given' in r) {
      thanks.textContent = t(deps.lang(), 'ratingThanks');
      // The Send button just vanished: the keyboard continues from the thanks, not from the page's top.
      if (hadFocus) thanks.focus();
    }
    if (asked) deps.keep();
    else deps.forget();
  };

  let looked = false;
  const lookForRating = async () => {
    if (looked) return;
    looked = true;
    let r: CustomerRating | undefined;
    try {
      r = (await chat.status()).rating;
    } catch {
      r = undefined; // No form rather than a broken one: the chat has ended either way.
    }
    show(r);
  };

  // The stars up to the chosen one are lit; the radios themselves carry the choice.
  form.addEventListener('change', () => {
    const chosen = Number(stars.find((s) => s.checked)?.value ?? 0);
    for (const s of stars) s.nextElementSibling?.classList.toggle('on', Number(s.value) <= chosen);
    error.textContent = '';
  });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const chosen = stars.find((s) => s.checked);
    if (!chosen) {
      error.textContent = t(deps.lang(), 'errRatingChoose');
      stars[0]?.focus();
      return;
    }
    const value = Number(chosen.value) as CsatRating;
    error.textContent = '';
    send.disabled = true;
    void chat
      .rate(value, comment.value)
      .then((given) => show(given))
      .catch((e: unknown) => {
        // Rated already (in another tab): the thanks stands. Anything else may be tried again.
        if (e instanceof StratusApiError && e.code === 'already_rated') show({ given: value });
        else error.textContent = t(deps.lang(), 'errRating');
      })
      .finally(() => {
        send.disabled = false;
      });
  });

  return {
    lookForRating,
    hide: () => {
      form.hidden = true;
      deps.composer.hidden = false;
    },
  };
}
