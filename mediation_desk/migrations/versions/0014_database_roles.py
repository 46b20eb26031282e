"""database roles

On PostgreSQL the server itself enforces who may read and change what (docs/security.md, "数据库
角色"): every account gets a login role of its own, member of one of the cluster-wide group roles
``md_intake``, ``md_mediator``, ``md_head``, ``md_admin``; each group is granted only the tables and
columns its work needs; row-level security shows a mediator only the cases of their teams (or the
ones they lead) and gives the administrator's group no case content at all; the audit table is
insert-only for every group. A per-database desk role ``<database>_desk`` may connect, read the
schema version and call the few pre-login functions, nothing else.

The roles are kept in step with ``app_user`` by ``md_sync_login_role`` (SECURITY DEFINER, owned by
the migrating owner, which therefore needs CREATEROLE). The owner itself is not subject to row-level
security (not FORCEd): migrations, backups and the maintenance commands run as the owner.

On SQLite only the ``app_user.db_role`` column is added (always NULL there).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The group roles, one per ``models.enums.Role`` value (``md_`` + the value).
GROUPS = ("md_intake", "md_mediator", "md_head", "md_admin")
CASE_GROUPS = "md_intake, md_mediator, md_head"
ALL_GROUPS = "md_intake, md_mediator, md_head, md_admin"

#: Tables of case content with a ``case_id`` column: visible row by row with their case.
CASE_CHILD_TABLES = (
    "party", "case_event", "attachment", "kept_document", "case_mediator", "case_department",
    "recusal_decision", "diversion", "deadline_extension", "investigation_record", "mediation_record",
    "agreement", "judicial_confirmation", "transfer", "termination", "undisputed_facts", "return_visit",
    "planned_visit", "supervision_order",
)
#: Case content the intake clerk writes (registration, acceptance, assignment, diversion, scans).
INTAKE_WRITES = (
    "dispute_case", "party", "case_event", "attachment", "kept_document", "case_mediator",
    "case_department", "recusal_decision", "diversion", "deadline_extension", "planned_visit",
    "file_blob", "unmatched_page",
)
#: Case content the mediator writes (their cases' casework; cases are registered by intake).
MEDIATOR_WRITES = (
    "party", "case_event", "attachment", "kept_document", "investigation_record", "mediation_record",
    "agreement", "agreement_term", "judicial_confirmation", "transfer", "termination", "undisputed_facts",
    "return_visit", "planned_visit", "deadline_extension", "recusal_decision", "file_blob", "unmatched_page",
)
#: The center's organisation and settings: read by every group, written by the administrator and
#: the head (organisation.MANAGERS; calendar and time limits check further in the services).
ORG_TABLES = (
    "team", "team_member", "mediator", "department", "dispute_type", "team_dispute_type", "holiday",
    "center_setting", "time_limit",
)
#: app_user columns anyone may read (never ``password_hash``).
USER_READ_COLUMNS = (
    "id", "username", "display_name", "role", "mediator_id", "active", "failed_logins", "locked_until",
    "must_change_password", "last_login_at", "version", "created_at", "updated_at", "db_role",
)
#: What a signed-in person updates on their own row (a login, their own password).
USER_OWN_COLUMNS = (
    "password_hash", "must_change_password", "failed_logins", "locked_until", "last_login_at", "version",
    "updated_at",
)
#: What the administrator writes on any account (not ``db_role``: only md_sync_login_role does).
USER_ADMIN_COLUMNS = (
    "username", "display_name", "role", "password_hash", "mediator_id", "active", "failed_logins",
    "locked_until", "must_change_password", "last_login_at", "version", "created_at", "updated_at",
)
#: The audit columns the Python append reads (the chain's last hash and sequence number).
AUDIT_APPEND_COLUMNS = ("id", "seq", "entry_hash", "mac")

_NO_CREATEROLE = (
    "数据库升级需要创建数据库角色，但当前连接的数据库用户“{user}”没有 CREATEROLE 权限。"
    "请数据库管理员执行：ALTER ROLE {user} CREATEROLE; 然后重新运行 db upgrade。"
)

FUNCTIONS = r"""
CREATE FUNCTION md_role_prefix() RETURNS text LANGUAGE sql STABLE AS $f$
  SELECT CASE WHEN current_database() ~ '^[a-z0-9_]{1,48}$' THEN current_database()
              ELSE 'md' || substr(md5(current_database()), 1, 12) END
$f$;

CREATE FUNCTION md_login_role_name(uid integer) RETURNS text LANGUAGE sql STABLE AS $f$
  SELECT md_role_prefix() || '_u' || uid
$f$;

CREATE FUNCTION md_desk_role_name() RETURNS text LANGUAGE sql STABLE AS $f$
  SELECT md_role_prefix() || '_desk'
$f$;

-- The account of this connection's login role (NULL for the owner, the desk, anyone else).
CREATE FUNCTION md_current_user_id() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
  SELECT id FROM app_user WHERE db_role = session_user AND active
$f$;

CREATE FUNCTION md_current_mediator_id() RETURNS integer LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
  SELECT mediator_id FROM app_user WHERE db_role = session_user AND active
$f$;

-- The teams of this connection's mediator (permissions.on_team: current members only).
CREATE FUNCTION md_current_team_ids() RETURNS integer[] LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
  SELECT coalesce(array_agg(m.team_id), '{}')
    FROM team_member m JOIN app_user u ON u.mediator_id = m.mediator_id
   WHERE u.db_role = session_user AND u.active AND m.left_on IS NULL
$f$;

-- Keep an account's login role in step with its app_user row: create it (named from the
-- database and the id, never from the user name), its group, CONNECT, LOGIN while the account is
-- active and has no lock, and (when given) its password as a SCRAM-SHA-256 verifier. Setting a
-- password needs the owner, an administrator, or the account itself.
CREATE FUNCTION md_sync_login_role(uid integer, verifier text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
DECLARE
  u app_user%ROWTYPE;
  r text;
  grp text;
  g text;
  may_login boolean;
BEGIN
  SELECT * INTO u FROM app_user WHERE id = uid;
  IF NOT FOUND THEN
    RAISE EXCEPTION '没有编号为 % 的账户。', uid USING ERRCODE = 'no_data_found';
  END IF;
  IF verifier IS NOT NULL THEN
    IF NOT (pg_has_role(session_user, current_user, 'MEMBER')
            OR pg_has_role(session_user, 'md_admin', 'MEMBER')
            OR u.db_role = session_user) THEN
      RAISE EXCEPTION '只有系统管理员或账户本人可以设置账户“%”的密码。', u.username
        USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
      RAISE EXCEPTION '密码须以 SCRAM-SHA-256 校验值传入，不接受明文。' USING ERRCODE = 'invalid_parameter_value';
    END IF;
  END IF;
  r := u.db_role;
  IF r IS NULL THEN
    r := md_login_role_name(u.id);
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
    UPDATE app_user SET db_role = r WHERE id = uid;
  END IF;
  grp := 'md_' || u.role;
  FOREACH g IN ARRAY ARRAY['md_intake', 'md_mediator', 'md_head', 'md_admin'] LOOP
    IF g = grp AND NOT pg_has_role(r, g, 'MEMBER') THEN
      EXECUTE format('GRANT %I TO %I', g, r);
    ELSIF g <> grp AND pg_has_role(r, g, 'MEMBER') THEN
      EXECUTE format('REVOKE %I FROM %I', g, r);
    END IF;
  END LOOP;
  -- Only what differs is changed: catalog rows updated by two transactions at once fail.
  IF NOT EXISTS (SELECT 1 FROM pg_database d, aclexplode(d.datacl) a
                  WHERE d.datname = current_database() AND a.privilege_type = 'CONNECT'
                    AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = r)) THEN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), r);
  END IF;
  -- A lock (locked_until set) holds on the server until it is cleared: by the next sign-in after
  -- it ended (services.auth, on the desk's clock) or by md_desk_login_role (on the server's), so
  -- a desk and the server whose clocks differ never let a role in before its lock was lifted.
  may_login := u.active AND u.locked_until IS NULL;
  IF may_login IS DISTINCT FROM (SELECT rolcanlogin FROM pg_roles WHERE rolname = r) THEN
    EXECUTE format('ALTER ROLE %I %s', r, CASE WHEN may_login THEN 'LOGIN' ELSE 'NOLOGIN' END);
  END IF;
  IF verifier IS NOT NULL THEN
    EXECUTE format('ALTER ROLE %I PASSWORD %L', r, verifier);
  END IF;
  RETURN r;
END
$f$;

-- Pre-login (the desk's credential): whether the center has any account yet.
CREATE FUNCTION md_desk_has_users() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
  SELECT EXISTS (SELECT 1 FROM app_user)
$f$;

-- Pre-login: what the login screen shows, the center's name and whether it is the demo center.
CREATE FUNCTION md_desk_login_settings() RETURNS TABLE (key text, value text) LANGUAGE sql STABLE
SECURITY DEFINER SET search_path = public, pg_temp AS $f$
  SELECT s.key, s.value FROM center_setting s WHERE s.key IN ('center_name', 'is_demo')
$f$;

-- Pre-login: the login role to connect as for a user name (NULL for no active account). A lock
-- that has ended is lifted here, so the account may connect again.
CREATE FUNCTION md_desk_login_role(name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
DECLARE
  u app_user%ROWTYPE;
BEGIN
  SELECT * INTO u FROM app_user WHERE username = btrim(name) AND active;
  IF NOT FOUND OR u.db_role IS NULL THEN
    -- No account, or one from before 0014 that has no login role (and no server password) yet.
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = u.db_role AND rolcanlogin)
     OR (u.locked_until IS NOT NULL AND u.locked_until <= localtimestamp) THEN
    IF u.locked_until IS NOT NULL AND u.locked_until <= localtimestamp THEN
      UPDATE app_user SET locked_until = NULL, failed_logins = 0 WHERE id = u.id;
    END IF;
    RETURN md_sync_login_role(u.id);
  END IF;
  RETURN u.db_role;
END
$f$;

-- Pre-login: a wrong password given at a desk (the server refused the login role's password)
-- counts towards the lock exactly as services.auth counts it; the fifth locks the account and
-- its login role (NOLOGIN) for ten minutes. Returns the failures so far and the end of the lock
-- (failures 5 when this one locked it, 0 when it was locked already); no row for a name without
-- an active account.
CREATE FUNCTION md_desk_login_failed(name text, OUT failures integer, OUT locked_until timestamp)
RETURNS SETOF record LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
DECLARE
  u app_user%ROWTYPE;
  last_lock_id integer;
  last_lock_until timestamp;
BEGIN
  SELECT * INTO u FROM app_user WHERE username = btrim(name) AND active FOR UPDATE;
  IF NOT FOUND THEN
    -- A name without an active account is counted from the audit log, as services.auth
    -- _name_state does on a desk signed in whole: the same five tries and ten minutes, so an
    -- unknown name is rate-limited too and answers like a known one. The chain lock serialises
    -- two desks guessing the same name (the desk writes this try's entry right after).
    PERFORM pg_advisory_xact_lock(hashtext('md_desk_login_failed:' || btrim(name)));
    SELECT id, (detail ->> 'until')::timestamp INTO last_lock_id, last_lock_until FROM audit_entry
     WHERE username = left(btrim(name), 40) AND action = 'account_locked' ORDER BY id DESC LIMIT 1;
    IF last_lock_until IS NOT NULL AND last_lock_until > localtimestamp THEN
      failures := 0; locked_until := last_lock_until; RETURN NEXT; RETURN;
    END IF;
    SELECT count(*) + 1 INTO failures FROM (
      SELECT detail FROM audit_entry
       WHERE username = left(btrim(name), 40) AND action IN ('login_failed', 'unlock_failed')
         AND id > coalesce(last_lock_id, 0) AND coalesce(detail ->> 'reason', '') <> 'locked'
       ORDER BY id DESC LIMIT 50) tries;
    IF failures >= 5 THEN
      locked_until := localtimestamp(0) + interval '10 minutes';
    ELSE
      locked_until := NULL;
    END IF;
    RETURN NEXT; RETURN;
  END IF;
  IF u.locked_until IS NOT NULL AND u.locked_until > localtimestamp THEN
    failures := 0; locked_until := u.locked_until; RETURN NEXT; RETURN;
  END IF;
  IF u.failed_logins + 1 >= 5 THEN
    locked_until := localtimestamp(0) + interval '10 minutes';
    UPDATE app_user SET failed_logins = 0, locked_until = md_desk_login_failed.locked_until WHERE id = u.id;
    PERFORM md_sync_login_role(u.id);
    failures := u.failed_logins + 1; RETURN NEXT; RETURN;
  END IF;
  UPDATE app_user SET failed_logins = u.failed_logins + 1 WHERE id = u.id;
  failures := u.failed_logins + 1; locked_until := NULL; RETURN NEXT;
END
$f$;

-- A file's content, stored once per SHA-256 (services.attachments.store_blob): row-level security
-- hides the files of other people's cases, so the "already stored?" check runs here, and only
-- content that matches its hash is stored.
CREATE FUNCTION md_store_blob(digest text, size bigint, content bytea, crc bigint) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $f$
BEGIN
  IF digest IS DISTINCT FROM encode(sha256(content), 'hex') OR size IS DISTINCT FROM octet_length(content) THEN
    RAISE EXCEPTION '文件内容与其 SHA-256 校验值不符。' USING ERRCODE = 'data_exception';
  END IF;
  INSERT INTO file_blob (sha256, size, content, crc32) VALUES (digest, size, content, crc)
  ON CONFLICT (sha256) DO NOTHING;
END
$f$;

-- The password hash of this connection's own account (no group may read the column): a person
-- connected as their login role checks it at sign-in and at a password change.
CREATE FUNCTION md_own_password_hash() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp AS $f$
  SELECT password_hash FROM app_user WHERE db_role = session_user AND active
$f$;

-- The desk role of this database: CONNECT, the schema, the schema version and the pre-login
-- functions, nothing else; and CONNECT taken from PUBLIC. Run by the migration, and again by the
-- owner after a database is copied or restored under another name (CREATE DATABASE … TEMPLATE
-- copies neither the database's privileges nor the desk role's name).
CREATE FUNCTION md_install_desk_role() RETURNS text LANGUAGE plpgsql SET search_path = public, pg_temp AS $f$
DECLARE
  r text := md_desk_role_name();
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', r);
  END IF;
  EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), r);
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', r);
  EXECUTE format('GRANT SELECT ON alembic_version TO %I', r);
  EXECUTE format('GRANT EXECUTE ON FUNCTION md_desk_has_users(), md_desk_login_role(text), '
                 'md_desk_login_failed(text), md_desk_login_settings(), md_desk_role_name(), md_role_prefix() TO %I', r);
  RETURN r;
END
$f$;
"""

FUNCTION_NAMES = (
    "md_role_prefix()", "md_login_role_name(integer)", "md_desk_role_name()", "md_current_user_id()",
    "md_current_mediator_id()", "md_current_team_ids()", "md_sync_login_role(integer, text)",
    "md_desk_has_users()", "md_desk_login_settings()", "md_desk_login_role(text)", "md_desk_login_failed(text)", "md_own_password_hash()",
    "md_store_blob(text, bigint, bytea, bigint)", "md_install_desk_role()",
)

CASE_VISIBLE = "team_id = ANY (md_current_team_ids()) OR lead_mediator_id = md_current_mediator_id()"
CHILD_VISIBLE = "EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = case_id)"
TERM_VISIBLE = "EXISTS (SELECT 1 FROM agreement a WHERE a.id = agreement_id)"
BLOB_VISIBLE = (
    "EXISTS (SELECT 1 FROM attachment a WHERE a.sha256 = file_blob.sha256)"
    " OR EXISTS (SELECT 1 FROM kept_document k WHERE k.sha256 = file_blob.sha256)"
    " OR EXISTS (SELECT 1 FROM unmatched_page p WHERE p.sha256 = file_blob.sha256)"
)
PAGE_VISIBLE = "filed_case_id IS NULL OR EXISTS (SELECT 1 FROM dispute_case c WHERE c.id = filed_case_id)"


def _cols(columns: Sequence[str]) -> str:
    return ", ".join(columns)


def _postgresql_statements() -> list[str]:
    s: list[str] = []
    for group in GROUPS:
        s.append(f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{group}') THEN
    CREATE ROLE {group} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object THEN NULL;
END $$""")
    s.extend(chunk.strip() + "$f$" for chunk in FUNCTIONS.split("$f$;\n") if chunk.strip())
    for signature in FUNCTION_NAMES:
        s.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
    s.append(f"GRANT EXECUTE ON FUNCTION md_role_prefix(), md_login_role_name(integer), md_desk_role_name(), "
             f"md_current_user_id(), md_current_mediator_id(), md_current_team_ids(), "
             f"md_sync_login_role(integer, text), md_own_password_hash() TO {ALL_GROUPS}")
    s.append(f"GRANT USAGE ON SCHEMA public TO {ALL_GROUPS}")
    s.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ALL_GROUPS}")
    s.append(f"GRANT SELECT ON alembic_version TO {ALL_GROUPS}")

    # Case content: read by the three case groups (rows filtered below), written as each one's work needs.
    case_tables = ("dispute_case", *CASE_CHILD_TABLES, "agreement_term", "file_blob", "unmatched_page")
    s.append(f"GRANT SELECT ON {_cols(case_tables)} TO {CASE_GROUPS}")
    s.append(f"GRANT INSERT, UPDATE, DELETE ON {_cols(case_tables)} TO md_head")
    s.append(f"GRANT INSERT, UPDATE, DELETE ON {_cols(INTAKE_WRITES)} TO md_intake")
    s.append(f"GRANT INSERT, UPDATE, DELETE ON {_cols(MEDIATOR_WRITES)} TO md_mediator")
    s.append("GRANT UPDATE ON dispute_case TO md_mediator")  # the case's state, clocks and texts
    s.append("GRANT SELECT, INSERT, UPDATE ON case_number_sequence TO md_intake, md_head")
    s.append(f"GRANT EXECUTE ON FUNCTION md_store_blob(text, bigint, bytea, bigint) TO {CASE_GROUPS}")
    s.append("GRANT SELECT ON publicity_snapshot TO md_head, md_admin")
    s.append("GRANT INSERT ON publicity_snapshot TO md_head")
    # The search index's gram counts are kept by triggers that now run as the owner; readers only plan with them.
    for function in ("search_count_added()", "search_count_changed()", "search_count_removed()"):
        s.append(f"ALTER FUNCTION {function} SECURITY DEFINER SET search_path = public, pg_temp")
        s.append(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
    s.append(f"GRANT SELECT ON search_gram_count TO {CASE_GROUPS}")

    # Row-level security: the case groups see rows through their case; md_admin has no policy (no rows).
    s.append("ALTER TABLE dispute_case ENABLE ROW LEVEL SECURITY")
    s.append("CREATE POLICY md_case_all ON dispute_case FOR ALL TO md_intake, md_head USING (true) WITH CHECK (true)")
    s.append(f"CREATE POLICY md_case_team ON dispute_case FOR ALL TO md_mediator USING ({CASE_VISIBLE}) "
             f"WITH CHECK ({CASE_VISIBLE})")
    for table in CASE_CHILD_TABLES:
        s.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        s.append(f"CREATE POLICY md_case_rows ON {table} FOR ALL TO {CASE_GROUPS} USING ({CHILD_VISIBLE}) "
                 f"WITH CHECK ({CHILD_VISIBLE})")
    s.append("ALTER TABLE agreement_term ENABLE ROW LEVEL SECURITY")
    s.append(f"CREATE POLICY md_case_rows ON agreement_term FOR ALL TO {CASE_GROUPS} USING ({TERM_VISIBLE}) "
             f"WITH CHECK ({TERM_VISIBLE})")
    s.append("ALTER TABLE file_blob ENABLE ROW LEVEL SECURITY")
    s.append(f"CREATE POLICY md_case_rows ON file_blob FOR ALL TO {CASE_GROUPS} USING ({BLOB_VISIBLE}) "
             f"WITH CHECK ({BLOB_VISIBLE})")
    # A file is stored before the attachment that points to it.
    s.append(f"CREATE POLICY md_blob_insert ON file_blob FOR INSERT TO {CASE_GROUPS} WITH CHECK (true)")
    s.append("ALTER TABLE unmatched_page ENABLE ROW LEVEL SECURITY")
    s.append(f"CREATE POLICY md_case_rows ON unmatched_page FOR ALL TO {CASE_GROUPS} USING ({PAGE_VISIBLE}) "
             f"WITH CHECK ({PAGE_VISIBLE})")

    # Organisation and settings.
    s.append(f"GRANT SELECT ON {_cols(ORG_TABLES)} TO {ALL_GROUPS}")
    s.append(f"GRANT INSERT, UPDATE, DELETE ON {_cols(ORG_TABLES)} TO md_admin, md_head")

    # Accounts: names for everyone, never the password hashes; the administrator manages them,
    # everyone else updates only their own row's login columns.
    s.append(f"GRANT SELECT ({_cols(USER_READ_COLUMNS)}) ON app_user TO {ALL_GROUPS}")
    # db_role may only be inserted empty (the ORM names every column): md_sync_login_role fills it.
    s.append(f"GRANT INSERT ({_cols(USER_ADMIN_COLUMNS)}, db_role) ON app_user TO md_admin")
    s.append(f"GRANT UPDATE ({_cols(USER_ADMIN_COLUMNS)}) ON app_user TO md_admin")
    s.append(f"GRANT UPDATE ({_cols(USER_OWN_COLUMNS)}) ON app_user TO md_intake, md_mediator, md_head")
    s.append("ALTER TABLE app_user ENABLE ROW LEVEL SECURITY")
    s.append(f"CREATE POLICY md_user_read ON app_user FOR SELECT TO {ALL_GROUPS} USING (true)")
    s.append("CREATE POLICY md_user_admin_insert ON app_user FOR INSERT TO md_admin WITH CHECK (db_role IS NULL)")
    s.append("CREATE POLICY md_user_admin ON app_user FOR UPDATE TO md_admin USING (true) WITH CHECK (true)")
    s.append("CREATE POLICY md_user_own ON app_user FOR UPDATE TO md_intake, md_mediator, md_head "
             "USING (db_role = session_user) WITH CHECK (db_role = session_user)")

    # The audit log: insert-only for everyone. Reading it whole is for the auditors (audit._require_auditor);
    # the others read only what the Python append needs to chain an entry (until appends go through
    # the server's own function).
    s.append(f"GRANT INSERT ON audit_entry TO {ALL_GROUPS}")
    s.append("GRANT SELECT ON audit_entry TO md_head, md_admin")
    s.append(f"GRANT SELECT ({_cols(AUDIT_APPEND_COLUMNS)}) ON audit_entry TO md_intake, md_mediator")

    # Nobody but a login role, the desk role (and the owner) connects to this database.
    s.append("SELECT md_install_desk_role()")
    # Accounts that exist already get their login roles at their next sign-in through the owner's
    # connection, or when the administrator resets their password (services/auth.py): the server
    # never had the plain password, and an argon2 hash cannot be turned into a SCRAM verifier.
    return s


def _run(sql: str) -> None:
    """Run SQL as written: no bind-parameter parsing and no ``%`` placeholders (``format('%I')``)."""
    op.get_bind().execution_options(no_parameters=True).exec_driver_sql(sql)


def upgrade() -> None:
    op.add_column('app_user', sa.Column('db_role', sa.String(length=63), nullable=True))
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    user, may = bind.execute(sa.text(
        "SELECT current_user, rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")).one()
    if not may:
        raise RuntimeError(_NO_CREATEROLE.format(user=user))
    for statement in _postgresql_statements():
        _run(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # The roles stay (they are the cluster's, and a role with privileges elsewhere cannot be
        # dropped here); they lose LOGIN and every right in this database.
        _run("""DO $$ DECLARE r text; BEGIN
  FOR r IN SELECT db_role FROM app_user WHERE db_role IS NOT NULL UNION ALL SELECT md_desk_role_name() LOOP
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('ALTER ROLE %I NOLOGIN', r);
      EXECUTE format('REVOKE ALL ON DATABASE %I FROM %I', current_database(), r);
      EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', r);
      EXECUTE format('REVOKE ALL ON SCHEMA public FROM %I', r);
    END IF;
  END LOOP;
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
END $$""")
        for table in ("dispute_case", *CASE_CHILD_TABLES, "agreement_term", "file_blob", "unmatched_page",
                      "app_user"):
            bind.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
            for policy in bind.execute(sa.text("SELECT policyname FROM pg_policies WHERE tablename = :t"),
                                       {"t": table}).scalars().all():
                bind.exec_driver_sql(f'DROP POLICY "{policy}" ON {table}')
        for function in ("search_count_added()", "search_count_changed()", "search_count_removed()"):
            bind.exec_driver_sql(f"ALTER FUNCTION {function} SECURITY INVOKER")
        for group in GROUPS:
            bind.exec_driver_sql(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {group}")
            bind.exec_driver_sql(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {group}")
            bind.exec_driver_sql(f"REVOKE ALL ON SCHEMA public FROM {group}")
        for signature in reversed(FUNCTION_NAMES):
            bind.exec_driver_sql(f"DROP FUNCTION {signature}")
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('db_role')
