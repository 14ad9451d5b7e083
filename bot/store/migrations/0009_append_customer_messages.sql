-- Group commit of the chat's hot path (bot/customers/append-lane.ts): the customer messages that
-- arrived while the store was busy with the previous one, in one call and one commit. Each element
-- of p is [tenant, conversation, message id, text, client message id or null, now, message json],
-- in order of arrival; each does what stratus_append_customer_message does for one, and answers a
-- row (n = its index) when it was stored. An element it does not handle (no open chat, a waiting
-- workflow, a repeated client message id) writes nothing and answers no row, and so does every
-- later element of the same conversation, so the general path cannot store an earlier message
-- after a later one. LOCK ORDER (bot/store/locks.ts): the batch's conversations, in id order,
-- before the outbox lock, which is taken once, before the first event id is drawn.
CREATE OR REPLACE FUNCTION stratus_append_customer_messages(p jsonb)
RETURNS TABLE (n integer, seq integer, author text, task_id text, task_state text, user_id text, event_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
  i integer;
  e jsonb;
  c_seq integer;
  c_author text;
  c_task text;
  t_id text;
  t_state text;
  t_user text;
  t_waits boolean;
  skipped text[] := '{}';
  outbox_locked boolean := false;
BEGIN
  PERFORM 1 FROM conversations cv
    WHERE cv.id = ANY(ARRAY(SELECT DISTINCT x->>1 FROM jsonb_array_elements(p) x))
    ORDER BY cv.id FOR UPDATE;
  FOR i IN 0 .. jsonb_array_length(p) - 1 LOOP
    e := p->i;
    CONTINUE WHEN (e->>1) = ANY(skipped);
    SELECT cv.last_seq + 1, cv.customer->>'displayName', cv.current_task_id INTO c_seq, c_author, c_task
      FROM conversations cv
      WHERE cv.id = e->>1 AND cv.tenant_id = e->>0 AND cv.open;
    IF NOT FOUND THEN skipped := skipped || (e->>1); CONTINUE; END IF;
    t_id := NULL; t_state := NULL; t_user := NULL; t_waits := NULL;
    IF c_task IS NOT NULL THEN
      SELECT tk.id, tk.state, tk.user_id, tk.workflow IS NOT NULL INTO t_id, t_state, t_user, t_waits
        FROM tasks tk WHERE tk.id = c_task AND tk.tenant_id = e->>0;
      IF t_id IS NOT NULL AND t_state NOT IN ('connected', 'ended') AND t_waits THEN
        skipped := skipped || (e->>1); CONTINUE;
      END IF;
    END IF;
    INSERT INTO messages (id, tenant_id, conversation_id, seq, "from", text, author, client_message_id, created_at)
      VALUES (e->>2, e->>0, e->>1, c_seq, 'customer', e->>3, c_author, e->>4, (e->>5)::bigint)
      ON CONFLICT (conversation_id, "from", client_message_id) DO NOTHING;
    IF NOT FOUND THEN skipped := skipped || (e->>1); CONTINUE; END IF;
    UPDATE conversations SET last_seq = c_seq, last_customer_at = (e->>5)::bigint WHERE id = e->>1 AND tenant_id = e->>0;
    IF NOT outbox_locked THEN
      PERFORM pg_advisory_xact_lock(727002);
      outbox_locked := true;
    END IF;
    INSERT INTO events (tenant_id, conversation_id, user_id, type, payload, created_at)
      VALUES (e->>0, e->>1, CASE WHEN t_state IN ('connected', 'ended') THEN t_user END, 'message',
        jsonb_strip_nulls(jsonb_build_object('sessionId', t_id, 'message',
          (e->6) || jsonb_build_object('seq', c_seq) || CASE WHEN c_author IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('author', c_author) END)),
        (e->>5)::bigint)
      RETURNING id INTO event_id;
    n := i; seq := c_seq; author := c_author; task_id := t_id; task_state := t_state; user_id := t_user;
    RETURN NEXT;
  END LOOP;
END
$$;
