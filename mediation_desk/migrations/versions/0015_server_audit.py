"""server audit (PostgreSQL)

On a center server the audit chain is written and keyed by the server itself (issue 17 items 2-3);
SQLite is untouched (its key stays in the desk's keychain, ``services/audit.py``).

* ``md_audit_private.audit_chain_key`` (a schema of its own, no USAGE for PUBLIC): one row with the chain's id, a 32-byte key made by the server
  (``gen_random_bytes``) and ``server_from_seq``, the first sequence number the server keys
  (entries before it were written by desks, keyed from a desk's keychain or not at all) and
  ``last_seq``, the highest seq the server has given (so deleting the newest entries is found even
  without an anchor). Owned by
  the migrating role; ``REVOKE ALL`` from PUBLIC and from every role that holds a grant on it, so
  no app role can read the key — only the functions below, which run as its owner, use it.
* ``md_audit_append(user_id integer, content text) → (r_id, r_at, r_seq, r_prev_hash, r_entry_hash,
  r_mac, r_db_login)``: ``SECURITY DEFINER``. Takes the
  chain lock, the time (its own clock, to the second), the next ``seq`` and the previous entry's
  hash, computes ``entry_hash`` = SHA-256 over exactly the text ``services.audit._entry_digest``
  hashes (the desk sends the canonical JSON of ``[username, action, entity, entity_id, detail]``;
  the server puts ``prev_hash`` and ``at`` in front) and ``mac`` = HMAC-SHA256(key,
  ``"<chain id>|<seq>|<entry_hash>"``), inserts the row and returns what it wrote (so a role that
  may not read the audit table can still append). So ``audit verify``
  keeps one algorithm for both databases.
* ``md_audit_chain() → (chain_id, server_from_seq, last_seq)`` and ``md_audit_bad_macs() → setof bad_id``:
  the verifier's view — the ids of server-keyed rows whose MAC is missing or wrong, computed where
  the key is; the key never leaves the server.
* ``md_audit_purge(keep_days, user_id, username, workstation) → (removed, cutoff, entry_id)``:
  the one way rows leave the table. Refuses fewer than 180 days, takes the cutoff from the server's
  clock, deletes only the chain's prefix older than it and writes the purge entry (first kept id,
  hash of the last purged entry) itself in the same transaction. EXECUTE only for its owner and
  ``md_admin`` (the administrators' group role, when it exists).
* ``md_audit_adopt(chain_id text) → server_from_seq``: a restore into a new server takes over the
  loaded chain (only while the server has given no seq itself; owner only).
* Triggers on ``audit_entry``: INSERT only from the functions (or the owner), UPDATE always
  refused, DELETE only inside ``md_audit_purge`` and only for rows older than 180 days by the
  server's clock, TRUNCATE always refused — for every role, the owner included (the owner can drop
  a trigger, as it can read the key: the database owner is the one role this does not hold against;
  see docs/security.md).

``audit_entry.db_login`` (both databases; NULL on SQLite): the database login that called the
function (``session_user``, plus the role it ``SET ROLE`` to), written by the server — a desk's
login may append an entry naming any app user, but not hide which login wrote it. Not in the
SHA-256 text (one algorithm with SQLite); no role can change it afterwards (the triggers).

The time zone the server stamps entries in is fixed in the functions (``SET TimeZone``) to the
migrating session's, so a desk cannot move its entries' times by changing its own session's zone.

Revision ID: 0015
Revises: 0013 (the lead chains it after 0014 at merge: change ``down_revision`` only)
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The chain lock (``pg_advisory_xact_lock``) shared with services/audit.py (0x4D444155, "MDAU").
LOCK_KEY = 0x4D44_4155
#: Entries are kept at least this long (services.audit.MIN_RETENTION_DAYS).
MIN_RETENTION_DAYS = 180

FUNCTIONS = (
    "md_audit_append(integer, text)",
    "md_audit_insert(integer, text, integer)",
    "md_audit_chain()",
    "md_audit_bad_macs()",
    "md_audit_purge(integer, integer, text, text)",
    "md_audit_adopt(text)",
)


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _ident(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def _run(sql: str) -> None:
    """Run SQL as written: no bind-parameter parsing (``[:cntrl:]``) and no ``%`` placeholders."""
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    # Which database login wrote the entry (set by the server; NULL on SQLite, which has no logins).
    op.add_column('audit_entry', sa.Column('db_login', sa.String(length=130), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    _run("CREATE EXTENSION IF NOT EXISTS pgcrypto")
    crypto = bind.exec_driver_sql(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'pgcrypto'").scalar_one()
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar_one()
    zone = bind.exec_driver_sql("SELECT current_setting('TimeZone')").scalar_one()
    path = ", ".join(dict.fromkeys(["pg_catalog", _ident(schema), _ident(crypto), "pg_temp"]))
    settings = f"SET search_path = {path} SET TimeZone = {_quote(zone)}"

    # Its own schema without USAGE for anyone but the owner: even a later "GRANT SELECT ON ALL
    # TABLES IN SCHEMA public" (or default privileges) cannot reach the key.
    _run("CREATE SCHEMA md_audit_private")
    _run("REVOKE ALL ON SCHEMA md_audit_private FROM PUBLIC")
    _run("""
        CREATE TABLE md_audit_private.audit_chain_key (
            one boolean PRIMARY KEY DEFAULT true CHECK (one),
            chain_id text NOT NULL,
            key bytea NOT NULL CHECK (length(key) >= 32),
            server_from_seq integer NOT NULL,
            last_seq integer NOT NULL,
            made_at timestamp NOT NULL DEFAULT localtimestamp(0)
        )""")
    # The chain keeps its id (anchors kept outside the database name it); a database without one
    # gets it here, so the server's chain and the desks' anchors agree from the first entry.
    _run(f"""
        INSERT INTO center_setting (key, value)
        SELECT 'audit.chain_id', encode({_ident(crypto)}.gen_random_bytes(16), 'hex')
        WHERE NOT EXISTS (SELECT 1 FROM center_setting
                          WHERE key = 'audit.chain_id' AND btrim(coalesce(value, '')) <> '')
        ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""")
    _run(f"""
        INSERT INTO md_audit_private.audit_chain_key (chain_id, key, server_from_seq, last_seq)
        SELECT btrim(value), {_ident(crypto)}.gen_random_bytes(32),
               (SELECT coalesce(max(seq), 0) + 1 FROM audit_entry), (SELECT coalesce(max(seq), 0) FROM audit_entry)
        FROM center_setting WHERE key = 'audit.chain_id'""")
    _run("REVOKE ALL ON md_audit_private.audit_chain_key FROM PUBLIC")
    # Whoever was granted anything on it (default privileges of another migration) loses it too.
    _run("""
        DO $$
        DECLARE grantee oid;
        BEGIN
            FOR grantee IN
                SELECT DISTINCT a.grantee FROM pg_class c, aclexplode(c.relacl) a
                WHERE c.oid = 'md_audit_private.audit_chain_key'::regclass AND a.grantee <> c.relowner AND a.grantee <> 0
            LOOP
                EXECUTE format('REVOKE ALL ON md_audit_private.audit_chain_key FROM %I', pg_get_userbyid(grantee));
            END LOOP;
        END $$""")

    # The row writer every public function goes through (not callable by app roles itself).
    _run(f"""
        CREATE FUNCTION md_audit_insert(p_user_id integer, p_content text, p_after_seq integer)
        RETURNS integer LANGUAGE plpgsql SECURITY DEFINER {settings} AS $$
        DECLARE
            v json;
            v_chain text;
            v_key bytea;
            v_last integer;
            v_prev text;
            v_seq integer;
            v_at timestamp;
            v_hash text;
            v_id integer;
        BEGIN
            PERFORM pg_advisory_xact_lock({LOCK_KEY});
            IF p_content IS NULL OR left(p_content, 1) <> '[' THEN
                RAISE EXCEPTION '审计记录内容应为 JSON 数组' USING ERRCODE = 'invalid_parameter_value';
            END IF;
            v := p_content::json;
            IF json_typeof(v) <> 'array' OR json_array_length(v) <> 5
               OR json_typeof(v->0) <> 'string' OR json_typeof(v->1) <> 'string'
               OR json_typeof(v->2) <> 'string' OR json_typeof(v->3) NOT IN ('number', 'null')
               OR json_typeof(v->4) <> 'object' THEN
                RAISE EXCEPTION '审计记录内容应为 [用户名, 操作, 对象, 对象编号, 详情]'
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            SELECT k.chain_id, k.key, k.last_seq INTO v_chain, v_key, v_last FROM md_audit_private.audit_chain_key k;
            IF v_key IS NULL THEN
                RAISE EXCEPTION '服务器上没有审计密钥（md_audit_private.audit_chain_key 为空）' USING ERRCODE = 'object_not_in_prerequisite_state';
            END IF;
            SELECT e.entry_hash INTO v_prev FROM audit_entry e ORDER BY e.id DESC LIMIT 1;
            v_prev := coalesce(v_prev, '');
            -- Never a seq given before, even when the newest rows were deleted behind the triggers.
            v_seq := greatest(coalesce(p_after_seq, 0), coalesce((SELECT max(e.seq) FROM audit_entry e), 0), v_last) + 1;
            v_at := date_trunc('second', clock_timestamp()::timestamp);
            v_hash := encode(sha256(convert_to(
                '["' || v_prev || '", "' || to_char(v_at, 'YYYY-MM-DD HH24:MI:SS') || '", '
                || substr(p_content, 2), 'UTF8')), 'hex');
            INSERT INTO audit_entry (at, user_id, username, action, entity, entity_id, detail,
                                     prev_hash, entry_hash, seq, mac, db_login)
            VALUES (v_at, p_user_id, v->>0, v->>1, v->>2, (v->>3)::integer, v->4, v_prev, v_hash, v_seq,
                    encode(hmac(convert_to(v_chain || '|' || v_seq || '|' || v_hash, 'UTF8'), v_key, 'sha256'),
                           'hex'),
                    -- The login that called, and the role it had SET ROLE to: no caller chooses this.
                    left(session_user || CASE WHEN current_setting('role') IN ('none', '')
                                                   OR current_setting('role') = session_user THEN ''
                                              ELSE ' as ' || current_setting('role') END, 130))
            RETURNING id INTO v_id;
            UPDATE md_audit_private.audit_chain_key SET last_seq = greatest(last_seq, v_seq);
            RETURN v_id;
        END $$""")
    # Returns the row it wrote, so a role that may not read the audit table can still append.
    _run(f"""
        CREATE FUNCTION md_audit_append(p_user_id integer, p_content text)
        RETURNS TABLE (r_id integer, r_at timestamp, r_seq integer, r_prev_hash text, r_entry_hash text, r_mac text,
                       r_db_login text)
        LANGUAGE plpgsql SECURITY DEFINER {settings} AS $$
        DECLARE
            v_id integer;
        BEGIN
            v_id := md_audit_insert(p_user_id, p_content, NULL);
            RETURN QUERY SELECT e.id, e.at, e.seq, e.prev_hash::text, e.entry_hash::text, e.mac::text,
                                e.db_login::text
                         FROM audit_entry e WHERE e.id = v_id;
        END $$""")
    _run(f"""
        CREATE FUNCTION md_audit_chain()
        RETURNS TABLE (chain_id text, server_from_seq integer, last_seq integer)
        LANGUAGE sql STABLE SECURITY DEFINER {settings} AS $$
            SELECT k.chain_id, k.server_from_seq, k.last_seq FROM md_audit_private.audit_chain_key k
        $$""")
    _run(f"""
        CREATE FUNCTION md_audit_bad_macs()
        RETURNS TABLE (bad_id integer) LANGUAGE sql STABLE SECURITY DEFINER {settings} AS $$
            SELECT e.id FROM audit_entry e CROSS JOIN md_audit_private.audit_chain_key k
            WHERE e.seq >= k.server_from_seq
              AND (e.mac IS NULL OR e.entry_hash IS NULL
                   OR e.mac <> encode(hmac(convert_to(k.chain_id || '|' || e.seq || '|' || e.entry_hash, 'UTF8'),
                                           k.key, 'sha256'), 'hex'))
            ORDER BY e.id
        $$""")
    # A restore into a new, empty server (services/backup.py): the loaded history becomes the
    # "keyed before the server" part of the chain, under the loaded chain's id — only while this
    # server has never given a seq itself, so no history it keyed can be disowned.
    _run(f"""
        CREATE FUNCTION md_audit_adopt(p_chain text) RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER {settings} AS $$
        DECLARE
            v_top integer;
        BEGIN
            PERFORM pg_advisory_xact_lock({LOCK_KEY});
            IF (SELECT k.last_seq FROM md_audit_private.audit_chain_key k) <> 0 THEN
                RAISE EXCEPTION '服务器已经写过审计记录，不能接管导入的审计链' USING ERRCODE = 'insufficient_privilege';
            END IF;
            v_top := coalesce((SELECT max(e.seq) FROM audit_entry e), 0);
            UPDATE md_audit_private.audit_chain_key
            SET chain_id = coalesce(nullif(btrim(p_chain), ''), chain_id), server_from_seq = v_top + 1,
                last_seq = v_top;
            RETURN v_top + 1;
        END $$""")
    # Names and workstations are put into the purge entry's JSON text as they are: characters JSON
    # would escape are dropped first, so the text is exactly what Python's json.dumps makes.
    _run(rf"""
        CREATE FUNCTION md_audit_purge(p_keep_days integer, p_user_id integer, p_username text,
                                       p_workstation text)
        RETURNS TABLE (removed integer, cutoff timestamp, entry_id integer)
        LANGUAGE plpgsql SECURITY DEFINER {settings} AS $$
        DECLARE
            v_cutoff timestamp;
            v_first_kept integer;
            v_last_purged integer;
            v_last_hash text;
            v_last_seq integer;
            v_first_id integer;
            v_removed integer;
            v_user text;
            v_station text;
        BEGIN
            IF p_keep_days IS NULL OR p_keep_days < {MIN_RETENTION_DAYS} THEN
                RAISE EXCEPTION '审计记录至少保留 {MIN_RETENTION_DAYS} 天，不能只保留 % 天。', p_keep_days
                    USING ERRCODE = 'check_violation';
            END IF;
            PERFORM pg_advisory_xact_lock({LOCK_KEY});
            v_cutoff := date_trunc('second', clock_timestamp()::timestamp) - make_interval(days => p_keep_days);
            SELECT min(e.id) INTO v_first_kept FROM audit_entry e WHERE e.at >= v_cutoff;
            SELECT max(e.id) INTO v_last_purged FROM audit_entry e
            WHERE v_first_kept IS NULL OR e.id < v_first_kept;
            IF v_last_purged IS NULL THEN
                RETURN QUERY SELECT 0, v_cutoff, NULL::integer;
                RETURN;
            END IF;
            SELECT coalesce(e.entry_hash, '') INTO v_last_hash FROM audit_entry e WHERE e.id = v_last_purged;
            SELECT max(e.seq) INTO v_last_seq FROM audit_entry e;
            SELECT min(e.id), count(*) INTO v_first_id, v_removed FROM audit_entry e WHERE e.id <= v_last_purged;
            PERFORM set_config('md.audit_purge_cutoff', v_cutoff::text, true);
            DELETE FROM audit_entry e WHERE e.id <= v_last_purged;
            PERFORM set_config('md.audit_purge_cutoff', '', true);
            v_user := left(regexp_replace(coalesce(p_username, ''), '[[:cntrl:]"\\]', '', 'g'), 40);
            v_station := left(regexp_replace(coalesce(p_workstation, ''), '[[:cntrl:]"\\]', '', 'g'), 200);
            RETURN QUERY SELECT v_removed, v_cutoff, md_audit_insert(p_user_id, format(
                '["%s", "audit.purge", "audit_entry", null, {{"cutoff": "%s", "first_kept_id": %s, '
                '"last_purged_hash": "%s", "removed": %s, "removed_ids": [%s, %s], "result": "ok", '
                '"workstation": "%s"}}]',
                v_user, to_char(v_cutoff, 'YYYY-MM-DD HH24:MI:SS'), coalesce(v_first_kept::text, 'null'),
                v_last_hash, v_removed, v_first_id, v_last_purged, v_station), v_last_seq);
        END $$""")
    # The guard: every change of the table but an insert by the functions, and a purge's delete.
    _run(f"""
        CREATE FUNCTION md_audit_guard() RETURNS trigger LANGUAGE plpgsql {settings} AS $$
        DECLARE
            v_writers name[];
            v_cutoff text;
        BEGIN
            SELECT ARRAY[(SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = TG_RELID),
                         (SELECT pg_get_userbyid(p.proowner) FROM pg_proc p
                          WHERE p.oid = 'md_audit_insert(integer, text, integer)'::regprocedure)]
            INTO v_writers;
            IF TG_OP = 'INSERT' THEN
                IF current_user = ANY (v_writers) THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION '审计记录只能由服务器函数 md_audit_append 写入，不能直接插入'
                    USING ERRCODE = 'insufficient_privilege';
            ELSIF TG_OP = 'DELETE' THEN
                v_cutoff := coalesce(current_setting('md.audit_purge_cutoff', true), '');
                IF current_user = ANY (v_writers) AND v_cutoff <> '' AND OLD.at < v_cutoff::timestamp
                   AND OLD.at < date_trunc('second', clock_timestamp()::timestamp)
                                - make_interval(days => {MIN_RETENTION_DAYS}) THEN
                    RETURN OLD;
                END IF;
                RAISE EXCEPTION '审计记录不能删除：只有 md_audit_purge 能清理保留期限（{MIN_RETENTION_DAYS} 天）以前的记录'
                    USING ERRCODE = 'insufficient_privilege';
            ELSIF TG_OP = 'TRUNCATE' THEN
                RAISE EXCEPTION '审计日志不能清空（TRUNCATE）' USING ERRCODE = 'insufficient_privilege';
            END IF;
            RAISE EXCEPTION '审计记录不能修改' USING ERRCODE = 'insufficient_privilege';
        END $$""")
    _run("CREATE TRIGGER md_audit_guard_rows BEFORE INSERT OR UPDATE OR DELETE ON audit_entry "
               "FOR EACH ROW EXECUTE FUNCTION md_audit_guard()")
    _run("CREATE TRIGGER md_audit_guard_truncate BEFORE TRUNCATE ON audit_entry "
               "FOR EACH STATEMENT EXECUTE FUNCTION md_audit_guard()")

    for signature in FUNCTIONS:
        _run(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    # Every role may append and have the MACs checked; the purge is the administrators'.
    for signature in ("md_audit_append(integer, text)", "md_audit_chain()", "md_audit_bad_macs()"):
        _run(f"GRANT EXECUTE ON FUNCTION {signature} TO PUBLIC")
    _run("""
        DO $$
        BEGIN
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'md_admin') THEN
                GRANT EXECUTE ON FUNCTION md_audit_purge(integer, integer, text, text) TO md_admin;
            END IF;
        END $$""")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        with op.batch_alter_table('audit_entry') as batch:
            batch.drop_column('db_login')
        return
    _run("DROP TRIGGER IF EXISTS md_audit_guard_truncate ON audit_entry")
    _run("DROP TRIGGER IF EXISTS md_audit_guard_rows ON audit_entry")
    _run("DROP FUNCTION IF EXISTS md_audit_guard()")
    for signature in FUNCTIONS:
        _run(f"DROP FUNCTION IF EXISTS {signature}")
    _run("DROP SCHEMA IF EXISTS md_audit_private CASCADE")
    op.drop_column('audit_entry', 'db_login')
