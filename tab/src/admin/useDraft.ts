/**
 * A working copy of one server document (the tenant, or one service) edited locally and saved
 * with `If-Match`. A 412 keeps the edits and lets the user reload (discard) or overwrite (save
 * again with the fresh ETag); a 400 keeps them and shows the server's problems by path.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConfigProblem } from '@stratus/shared/contract/admin';
import { AdminApiError, type Tagged } from './api';
import { stillApplies } from './problems';

export interface DraftOptions<T> {
  load: () => Promise<Tagged<T>>;
  save: (value: T, etag: string) => Promise<Tagged<T>>;
  /** Rewrites the server's problem paths to the ones the page shows (an owner's service). */
  problems?: (p: ConfigProblem[]) => ConfigProblem[];
  /** The document those paths are in (an owner's service sits at `services[0]`). */
  doc?: (value: T) => unknown;
}

interface State<T> {
  status: 'loading' | 'ready' | 'failed';
  saved?: T;
  draft?: T;
  etag: string;
  /** What the last refused save sent: a server problem applies while its value is unchanged. */
  sent?: T;
  serverProblems: ConfigProblem[];
  conflict: boolean;
  saving: boolean;
  error?: string;
  /** Bumped on each successful save, for a "Saved" notice. */
  savedCount: number;
}

export interface Draft<T> {
  status: State<T>['status'];
  draft: T | undefined;
  saved: T | undefined;
  dirty: boolean;
  saving: boolean;
  conflict: boolean;
  error: string | undefined;
  savedCount: number;
  /** The server's problems that still apply to the draft. */
  serverProblems: ConfigProblem[];
  edit: (fn: (d: T) => T) => void;
  /** Makes `value` the working copy (an import) and saves it. */
  replaceAndSave: (value: T) => Promise<boolean>;
  save: () => Promise<boolean>;
  reload: () => Promise<void>;
  overwrite: () => Promise<boolean>;
  dismissError: () => void;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function useDraft<T>(opts: DraftOptions<T>): Draft<T> {
  const [s, setS] = useState<State<T>>({ status: 'loading', etag: '', serverProblems: [], conflict: false, saving: false, savedCount: 0 });
  const ref = useRef(s);
  ref.current = s;
  const optsRef = useRef(opts);
  optsRef.current = opts;

  const reload = useCallback(async () => {
    try {
      const r = await optsRef.current.load();
      setS((x) => ({
        ...x,
        status: 'ready',
        saved: r.value,
        draft: r.value,
        etag: r.etag,
        sent: undefined,
        serverProblems: [],
        conflict: false,
        error: undefined,
      }));
    } catch (e) {
      const error = e instanceof Error ? e.message : 'Stratus could not be loaded.';
      setS((x) => ({ ...x, status: x.draft === undefined ? 'failed' : x.status, error }));
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const saveWith = useCallback(async (etag: string, value?: T): Promise<boolean> => {
    const draft = value ?? ref.current.draft;
    if (draft === undefined) return false;
    setS((x) => ({ ...x, saving: true, error: undefined }));
    try {
      const r = await optsRef.current.save(draft, etag);
      // Edits made while the request was out stay in the draft.
      setS((x) => ({
        ...x,
        saving: false,
        saved: r.value,
        draft: x.draft === draft ? r.value : x.draft,
        etag: r.etag,
        sent: undefined,
        serverProblems: [],
        conflict: false,
        savedCount: x.savedCount + 1,
      }));
      return true;
    } catch (e) {
      const err = e instanceof AdminApiError ? e : undefined;
      if (err?.status === 412) setS((x) => ({ ...x, saving: false, conflict: true }));
      else if (err && err.problems.length > 0) {
        const serverProblems = optsRef.current.problems?.(err.problems) ?? err.problems;
        setS((x) => ({ ...x, saving: false, sent: draft, serverProblems, error: `Not saved: ${err.message}` }));
      } else setS((x) => ({ ...x, saving: false, error: `Not saved: ${e instanceof Error ? e.message : 'Stratus did not answer.'}` }));
      return false;
    }
  }, []);

  const save = useCallback(() => saveWith(ref.current.etag), [saveWith]);

  const overwrite = useCallback(async () => {
    try {
      const fresh = await optsRef.current.load();
      return await saveWith(fresh.etag);
    } catch (e) {
      setS((x) => ({ ...x, error: e instanceof Error ? e.message : 'Stratus could not be reached.' }));
      return false;
    }
  }, [saveWith]);

  const edit = useCallback((fn: (d: T) => T) => setS((x) => (x.draft === undefined ? x : { ...x, draft: fn(x.draft) })), []);
  const replaceAndSave = useCallback(
    (value: T) => {
      setS((x) => ({ ...x, draft: value }));
      return saveWith(ref.current.etag, value);
    },
    [saveWith],
  );
  const dismissError = useCallback(() => setS((x) => ({ ...x, error: undefined })), []);

  const doc = (v: T | undefined) => (v === undefined ? undefined : (opts.doc?.(v) ?? v));
  return {
    status: s.status,
    draft: s.draft,
    saved: s.saved,
    dirty: s.draft !== s.saved && !same(s.draft, s.saved),
    saving: s.saving,
    conflict: s.conflict,
    error: s.error,
    savedCount: s.savedCount,
    serverProblems: s.sent === undefined ? [] : stillApplies(s.serverProblems, doc(s.sent), doc(s.draft)),
    edit,
    replaceAndSave,
    save,
    reload,
    overwrite,
    dismissError,
  };
}
