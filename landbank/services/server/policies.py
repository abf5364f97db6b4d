"""What each group may do with each table of a city's ledger: grants, row-level security by
the login's county, the accounts table, and the audit log that only grows (issue 14).

- **Tables whose rows belong to a county** (:data:`COUNTY_TABLES`: parcels, factories,
  projects, quotas, parks; reservations are columns of parcels and factories): everyone reads
  every row (a county clerk matches projects city-wide); the city administrator and city clerks
  write every row; a county clerk inserts, updates and deletes only rows whose ``region_id``
  is its county (USING and WITH CHECK, so a row cannot be moved to another county either);
  the viewer has no write grant. ROW LEVEL SECURITY is ENABLEd and FORCEd (the owner obeys it
  too, through a policy of its own, so a data migration still sees every row).
- **The city's shared settings** (:data:`CITY_TABLES`: counties, the city's default quotas,
  the ledger's city and bureau): written by the administrator and city clerks only.
- **attachment** (:data:`ATTACHMENT_TABLE`: a record's photos and documents): the same rights
  as the records, by its own ``region_id`` (the county of its record); a RESTRICTIVE policy
  makes every insert or update name its record's county (a county clerk cannot file a
  document under its own county on another county's parcel), and a trigger on the record
  tables moves a record's attachments with it when the city moves the record to another
  county.
- **land_standard** (:data:`STANDARD_TABLE`: the 标准地 indicator table, issue 16): the rights
  of a county table — everyone reads, the city writes every county's rows, a county login
  only its own county's (``region_id``, USING and WITH CHECK).
- **land_yield** (:data:`YIELD_TABLE`: the yearly figures of the firm on a parcel, issue 16):
  a county table by its ``region_id``; a RESTRICTIVE policy makes every insert or update name
  its parcel's county, and a trigger moves the figures with a parcel the city moves.
- **efficiency_scheme** (:data:`SCHEME_TABLE`: a county's 亩均效益评价 scheme, issue 16): a county
  table by its ``region_id``; the city's default (``region_id`` NULL) matches no county's
  policy, so only the city writes it.
- **audit_log**: SELECT and INSERT, never UPDATE, DELETE or TRUNCATE; a trigger refuses those
  for every role but the owner (a superuser too, unless it takes the owner's role). A second
  trigger writes the login's name into ``user`` on every insert by a clerk's login, so neither
  the environment, the settings nor a changed app can claim another name.
- **landbank_user** (login → scope, county, display name): owned by the owner, each login
  reads its own row (the county policies read it), the administrator reads all.

A table this module does not know (a later migration's) gets SELECT for every group and
nothing else until it is listed here; ``tests/services/test_server_roles.py`` checks every
table of the models is listed.
"""

from __future__ import annotations

from typing import Any

from psycopg import sql

from landbank.services.server.roles import RoleNames, Scope

COUNTY_TABLES = ("parcel", "factory", "project", "quota", "park")
CITY_TABLES = ("region", "quota_default", "ledger_info")
ATTACHMENT_TABLE = "attachment"
STANDARD_TABLE = "land_standard"
YIELD_TABLE = "land_yield"
SCHEME_TABLE = "efficiency_scheme"
# Tables under row-level security by region_id (the county policies of _policies).
RLS_TABLES = (*COUNTY_TABLES, ATTACHMENT_TABLE, STANDARD_TABLE, YIELD_TABLE, SCHEME_TABLE)
ATTACHING_TABLES = ("parcel", "factory", "project", "park")  # attachment.record_kind
AUDIT_TABLE = "audit_log"
USER_TABLE = "landbank_user"
READ_ONLY_TABLES = ("alembic_version",)

CREATE_USER_TABLE = """
CREATE TABLE IF NOT EXISTS landbank_user (
    login text PRIMARY KEY,
    display_name text NOT NULL,
    scope text NOT NULL CHECK (scope IN ('admin', 'city', 'county', 'viewer')),
    region_id integer REFERENCES region (id) ON DELETE RESTRICT,
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((scope = 'county') = (region_id IS NOT NULL))
)
"""

# The name the audit gives the login of this session: "张三（zhangsan）", or the login alone
# when it has no other display name; NULL for a login that is no landbank account.
LOGIN_NAME_FUNCTION = """
CREATE OR REPLACE FUNCTION landbank_login_name() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    SELECT left(CASE WHEN u.display_name = u.login OR u.display_name = '' THEN u.login
                     ELSE u.display_name || '（' || u.login || '）' END, 100)
    FROM landbank_user u WHERE u.login = session_user
$$
"""

AUDIT_IDENTITY_FUNCTION = """
CREATE OR REPLACE FUNCTION landbank_audit_identity() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
    who text := landbank_login_name();
BEGIN
    IF who IS NOT NULL THEN
        NEW."user" := who;
    END IF;
    RETURN NEW;
END
$$
"""

AUDIT_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION landbank_audit_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public AS $$
BEGIN
    IF current_user <> {owner} THEN
        RAISE EXCEPTION '审计记录只能追加，不能修改或删除（%）', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$$
"""

TRIGGERS = {
    "landbank_audit_identity": (
        "CREATE TRIGGER landbank_audit_identity BEFORE INSERT ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION landbank_audit_identity()"
    ),
    "landbank_audit_no_change": (
        "CREATE TRIGGER landbank_audit_no_change BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION landbank_audit_guard()"
    ),
    "landbank_audit_no_truncate": (
        "CREATE TRIGGER landbank_audit_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION landbank_audit_guard()"
    ),
}
TRIGGER_EXISTS = (
    "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass('public.audit_log')"
)

# The county of this session's login (one value per statement: an InitPlan).
MY_COUNTY = "(SELECT u.region_id FROM landbank_user u WHERE u.login = session_user)"


def _policies(names: RoleNames) -> dict[str, str]:
    """The policies of a county table, by name (``{table}`` is filled in)."""
    everyone = ", ".join(f'"{g}"' for g in names.groups)
    city = ", ".join(f'"{g}"' for g in names.city_writers)
    county = f'"{names.group(Scope.COUNTY)}"'
    owner = f'"{names.owner}"'
    return {
        "lb_owner": f"CREATE POLICY lb_owner ON {{table}} FOR ALL TO {owner} "
        "USING (true) WITH CHECK (true)",
        "lb_read": f"CREATE POLICY lb_read ON {{table}} FOR SELECT TO {everyone} USING (true)",
        "lb_city_write": f"CREATE POLICY lb_city_write ON {{table}} FOR ALL TO {city} "
        "USING (true) WITH CHECK (true)",
        "lb_county_insert": f"CREATE POLICY lb_county_insert ON {{table}} FOR INSERT TO {county} "
        f"WITH CHECK (region_id = {MY_COUNTY})",
        "lb_county_update": f"CREATE POLICY lb_county_update ON {{table}} FOR UPDATE TO {county} "
        f"USING (region_id = {MY_COUNTY}) WITH CHECK (region_id = {MY_COUNTY})",
        "lb_county_delete": f"CREATE POLICY lb_county_delete ON {{table}} FOR DELETE TO {county} "
        f"USING (region_id = {MY_COUNTY})",
    }


# Tables whose rows point at a project with ON DELETE SET NULL (a reservation): deleting a
# project would clear them as the table's owner, past row-level security and the audit.
RESERVING_TABLES = ("parcel", "factory")


def _project_policies(names: RoleNames) -> dict[str, str]:
    """A county clerk deletes its own project only while no other county's site is reserved
    for it (a RESTRICTIVE policy: AND-ed with the permissive ones). Without it the foreign
    key's ON DELETE SET NULL would release another county's parcel or factory unaudited."""
    county = f'"{names.group(Scope.COUNTY)}"'
    unshared = " AND ".join(
        f"NOT EXISTS (SELECT 1 FROM {t} r WHERE r.reserved_project_id = project.id "
        f"AND r.region_id IS DISTINCT FROM {MY_COUNTY})"
        for t in RESERVING_TABLES
    )
    return {
        "lb_county_keeps_others": "CREATE POLICY lb_county_keeps_others ON {table} AS RESTRICTIVE "
        f"FOR DELETE TO {county} USING ({unshared})",
    }


def _user_policies(names: RoleNames) -> dict[str, str]:
    everyone = ", ".join(f'"{g}"' for g in names.groups)
    admin = f'"{names.group(Scope.ADMIN)}"'
    return {
        "lb_self": f"CREATE POLICY lb_self ON {{table}} FOR SELECT TO {everyone} "
        "USING (login = session_user)",
        "lb_admin_read": f"CREATE POLICY lb_admin_read ON {{table}} FOR SELECT TO {admin} "
        "USING (true)",
    }


# The county of an attachment's record (NULL when the record is gone).
RECORD_COUNTY = (
    "CASE record_kind "
    + " ".join(
        f"WHEN '{t}' THEN (SELECT r.region_id FROM {t} r WHERE r.id = record_id)"
        for t in ATTACHING_TABLES
    )
    + " END"
)


def _attachment_policies(names: RoleNames) -> dict[str, str]:
    """An attachment inserted or changed names its record's county (RESTRICTIVE: AND-ed with
    the county policies, which compare that county with the login's)."""
    everyone = ", ".join(f'"{g}"' for g in names.groups)
    check = f"region_id IS NOT DISTINCT FROM ({RECORD_COUNTY})"
    return {
        "lb_record_county_insert": "CREATE POLICY lb_record_county_insert ON {table} "
        f"AS RESTRICTIVE FOR INSERT TO {everyone} WITH CHECK ({check})",
        "lb_record_county_update": "CREATE POLICY lb_record_county_update ON {table} "
        f"AS RESTRICTIVE FOR UPDATE TO {everyone} USING (true) WITH CHECK ({check})",
    }


def _yield_policies(names: RoleNames) -> dict[str, str]:
    """Yearly figures name their parcel's county (RESTRICTIVE, as attachments do)."""
    everyone = ", ".join(f'"{g}"' for g in names.groups)
    check = (
        "region_id IS NOT DISTINCT FROM (SELECT p.region_id FROM parcel p WHERE p.id = parcel_id)"
    )
    return {
        "lb_parcel_county_insert": "CREATE POLICY lb_parcel_county_insert ON {table} "
        f"AS RESTRICTIVE FOR INSERT TO {everyone} WITH CHECK ({check})",
        "lb_parcel_county_update": "CREATE POLICY lb_parcel_county_update ON {table} "
        f"AS RESTRICTIVE FOR UPDATE TO {everyone} USING (true) WITH CHECK ({check})",
    }


# A parcel moved to another county (by the city) takes its yearly figures along (as the owner).
YIELD_REGION_FUNCTION = """
CREATE OR REPLACE FUNCTION landbank_yield_region() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE land_yield SET region_id = NEW.region_id WHERE parcel_id = NEW.id;
    RETURN NEW;
END
$$
"""
YIELD_TRIGGER = (
    "CREATE TRIGGER landbank_yield_region AFTER UPDATE OF region_id ON parcel "
    "FOR EACH ROW WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id) "
    "EXECUTE FUNCTION landbank_yield_region()"
)


# A record moved to another county (by the city) takes its attachments along: run as the
# owner (SECURITY DEFINER), whose policy lets it update every attachment.
ATTACHMENT_REGION_FUNCTION = """
CREATE OR REPLACE FUNCTION landbank_attachment_region() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE attachment SET region_id = NEW.region_id
    WHERE record_kind = TG_TABLE_NAME AND record_id = NEW.id;
    RETURN NEW;
END
$$
"""
ATTACHMENT_TRIGGER = (
    "CREATE TRIGGER landbank_attachment_region AFTER UPDATE OF region_id ON {table} "
    "FOR EACH ROW WHEN (OLD.region_id IS DISTINCT FROM NEW.region_id) "
    "EXECUTE FUNCTION landbank_attachment_region()"
)
TABLE_TRIGGER_EXISTS = "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass(%s)"


def _attachment_triggers(cur: Any, tables: list[str]) -> list[str]:
    if ATTACHMENT_TABLE not in tables:
        return []
    cur.execute(ATTACHMENT_REGION_FUNCTION)
    cur.execute("REVOKE ALL ON FUNCTION landbank_attachment_region() FROM PUBLIC")
    added = []
    if YIELD_TABLE in tables:  # the yearly figures follow their parcel the same way
        cur.execute(YIELD_REGION_FUNCTION)
        cur.execute("REVOKE ALL ON FUNCTION landbank_yield_region() FROM PUBLIC")
        cur.execute(TABLE_TRIGGER_EXISTS, ("landbank_yield_region", "public.parcel"))
        if cur.fetchone() is None:
            cur.execute(YIELD_TRIGGER)
            added.append("parcel.landbank_yield_region")
    for table in ATTACHING_TABLES:
        cur.execute(TABLE_TRIGGER_EXISTS, ("landbank_attachment_region", f"public.{table}"))
        if cur.fetchone() is None:
            cur.execute(ATTACHMENT_TRIGGER.format(table=table))
            added.append(f"{table}.landbank_attachment_region")
    return added


POLICY_NAMES = "SELECT policyname FROM pg_policies WHERE schemaname = 'public' AND tablename = %s"
TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""
ALL_WRITES = "SELECT, INSERT, UPDATE, DELETE"


def _grant(cur: Any, rights: str, table: str, roles: tuple[str, ...]) -> None:
    cur.execute(
        sql.SQL("GRANT " + rights + " ON TABLE {} TO {}").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(r) for r in roles)
        )
    )


def _revoke_all(cur: Any, table: str, names: RoleNames) -> None:
    roles = sql.SQL(", ").join([sql.SQL("PUBLIC"), *(sql.Identifier(g) for g in names.groups)])
    cur.execute(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(sql.Identifier(table), roles))


def _ensure_policies(cur: Any, table: str, policies: dict[str, str]) -> list[str]:
    cur.execute(POLICY_NAMES, (table,))
    present = {row[0] for row in cur.fetchall()}
    added = []
    for name, statement in policies.items():
        if name not in present:
            cur.execute(statement.format(table=f'"{table}"'))
            added.append(f"{table}.{name}")
    return added


def apply_rights(cur: Any, names: RoleNames) -> list[str]:
    """Grants, row-level security, the accounts table and the audit's triggers, as the owner
    (the caller has taken the owner's role for this transaction). Adds only what is missing;
    returns the policies and triggers added."""
    added: list[str] = []
    cur.execute(CREATE_USER_TABLE)
    cur.execute(LOGIN_NAME_FUNCTION)
    cur.execute(AUDIT_IDENTITY_FUNCTION)
    cur.execute(sql.SQL(AUDIT_GUARD_FUNCTION).format(owner=sql.Literal(names.owner)))
    for function in ("landbank_login_name()", "landbank_audit_identity()"):
        cur.execute(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        cur.execute(
            sql.SQL("GRANT EXECUTE ON FUNCTION " + function + " TO {}").format(
                sql.SQL(", ").join(sql.Identifier(g) for g in names.groups)
            )
        )
    cur.execute(TABLES)
    tables = [row[0] for row in cur.fetchall()]
    for table in tables:
        _revoke_all(cur, table, names)
        if table in RLS_TABLES:
            _grant(cur, ALL_WRITES, table, names.writers)
        elif table in CITY_TABLES:
            _grant(cur, ALL_WRITES, table, names.city_writers)
        elif table == AUDIT_TABLE:
            _grant(cur, "SELECT, INSERT", table, names.writers)
        _grant(cur, "SELECT", table, names.groups)
        if table in RLS_TABLES:
            cur.execute(
                sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(sql.Identifier(table))
            )
            cur.execute(
                sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(sql.Identifier(table))
            )
            added += _ensure_policies(cur, table, _policies(names))
            if table == "project":
                added += _ensure_policies(cur, table, _project_policies(names))
            if table == ATTACHMENT_TABLE:
                added += _ensure_policies(cur, table, _attachment_policies(names))
            if table == YIELD_TABLE:
                added += _ensure_policies(cur, table, _yield_policies(names))
    added += _attachment_triggers(cur, tables)
    cur.execute(
        sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(sql.Identifier(USER_TABLE))
    )
    added += _ensure_policies(cur, USER_TABLE, _user_policies(names))
    cur.execute(
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(
            sql.SQL(", ").join(sql.Identifier(g) for g in names.writers)
        )
    )
    for trigger, statement in TRIGGERS.items():
        cur.execute(TRIGGER_EXISTS, (trigger,))
        if cur.fetchone() is None:
            cur.execute(statement)
            added.append(trigger)
    return added
