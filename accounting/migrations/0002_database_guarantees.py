"""The ledger's guarantees, in PostgreSQL itself: whatever writes to the database (the app, the admin, a
psql session), the journal stays balanced, append-only, inside open years and never below zero.

- accounting_refuse_change: verifications, lines, commitments and year snapshots refuse UPDATE/DELETE.
- accounting_refuse_truncate: ... and TRUNCATE, unless the session has `dgr.allow_truncate = on`. Only the
  test database sets it (tests/conftest.py), because pytest-django empties tables with TRUNCATE after each
  test with real commits. No production database has it.
- accounting_verification_before_insert: the year is open (locked FOR SHARE, so a year close waits for
  postings in flight), the booking date inside it, and of the same fund.
- accounting_line_before_insert: copies the year from the verification, checks the account belongs to the
  fund and capital part, and that reserved lines name their commitment.
- accounting_check_verification (deferred constraint triggers, at COMMIT): ≥ 2 lines summing to zero; then,
  with the touched capital parts locked FOR NO KEY UPDATE in id order (FOR UPDATE would deadlock with the
  KEY SHARE lock the foreign-key checks already hold), no available account below zero and no commitment
  below zero remaining.
- accounting_account_balance(account): the one definition of an account's balance: the last closed year's
  snapshot plus the lines of the years still open (stays fast as the journal grows).
- Fiscal years: a closed year is never changed or reopened; funds, parts, years, accounts and decisions are
  never deleted.
"""

from django.db import migrations

APPEND_ONLY = ["accounting_verification", "accounting_verificationline", "accounting_commitment", "accounting_yearbalance"]
NEVER_DELETED = ["accounting_fund", "accounting_capitalpart", "accounting_fiscalyear", "accounting_account", "accounting_decision"]

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION accounting_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'DGR: % is append-only: % refused (post a reversal instead)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE OR REPLACE FUNCTION accounting_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'DGR: rows of % are never deleted', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE OR REPLACE FUNCTION accounting_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('dgr.allow_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'DGR: % is append-only: TRUNCATE refused', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE OR REPLACE FUNCTION accounting_fiscal_year_before_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'closed' THEN
        RAISE EXCEPTION 'DGR: fiscal year % is closed and is never changed or reopened', OLD.year
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.fund_id <> OLD.fund_id OR NEW.year <> OLD.year OR NEW.starts_on <> OLD.starts_on
            OR NEW.ends_on <> OLD.ends_on THEN
        RAISE EXCEPTION 'DGR: a fiscal year''s fund and dates are never changed' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION accounting_verification_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    y record;
BEGIN
    SELECT fund_id, year, status, starts_on, ends_on INTO y
        FROM accounting_fiscalyear WHERE id = NEW.fiscal_year_id FOR SHARE;
    IF y.status <> 'open' THEN
        RAISE EXCEPTION 'DGR: fiscal year % is closed: nothing can be posted into it', y.year
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.booking_date < y.starts_on OR NEW.booking_date > y.ends_on THEN
        RAISE EXCEPTION 'DGR: booking date % is outside fiscal year %', NEW.booking_date, y.year
            USING ERRCODE = 'check_violation';
    END IF;
    IF y.fund_id <> NEW.fund_id THEN
        RAISE EXCEPTION 'DGR: the fiscal year belongs to another fund' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION accounting_line_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v record;
    a record;
BEGIN
    SELECT fund_id, fiscal_year_id INTO v FROM accounting_verification WHERE id = NEW.verification_id;
    SELECT fund_id, kind, capital_part_id INTO a FROM accounting_account WHERE id = NEW.account_id;
    NEW.fiscal_year_id := v.fiscal_year_id;
    IF a.fund_id <> v.fund_id THEN
        RAISE EXCEPTION 'DGR: account % belongs to another fund', NEW.account_id USING ERRCODE = 'check_violation';
    END IF;
    IF a.capital_part_id IS NOT NULL AND a.capital_part_id <> NEW.capital_part_id THEN
        RAISE EXCEPTION 'DGR: account % belongs to another capital part', NEW.account_id
            USING ERRCODE = 'check_violation';
    END IF;
    IF a.kind = 'reserved' AND NEW.commitment_id IS NULL THEN
        RAISE EXCEPTION 'DGR: a line on a reserved account names its commitment' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE FUNCTION accounting_account_balance(p_account bigint) RETURNS numeric LANGUAGE sql AS $$
    WITH last_closed AS (
        SELECT y.id FROM accounting_fiscalyear y JOIN accounting_account a ON a.fund_id = y.fund_id
        WHERE a.id = p_account AND y.status = 'closed' ORDER BY y.year DESC LIMIT 1
    )
    SELECT coalesce((SELECT sum(b.closing) FROM accounting_yearbalance b
                     WHERE b.account_id = p_account AND b.fiscal_year_id = (SELECT id FROM last_closed)), 0)
         + coalesce((SELECT sum(l.amount) FROM accounting_verificationline l
                     JOIN accounting_fiscalyear y ON y.id = l.fiscal_year_id
                     WHERE l.account_id = p_account AND y.status = 'open'), 0)
$$;

CREATE OR REPLACE FUNCTION accounting_check_verification() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    n integer;
    total numeric;
    r record;
    balance numeric;
BEGIN
    IF TG_TABLE_NAME = 'accounting_verification' THEN
        v_id := NEW.id;
    ELSE
        v_id := NEW.verification_id;
    END IF;
    SELECT count(*), coalesce(sum(amount), 0) INTO n, total
        FROM accounting_verificationline WHERE verification_id = v_id;
    IF n < 2 OR total <> 0 THEN
        RAISE EXCEPTION 'DGR: verification % does not balance (% lines, sum %)', v_id, n, total
            USING ERRCODE = 'check_violation';
    END IF;
    PERFORM 1 FROM accounting_capitalpart
        WHERE id IN (SELECT capital_part_id FROM accounting_verificationline WHERE verification_id = v_id)
        ORDER BY id FOR NO KEY UPDATE;
    FOR r IN SELECT DISTINCT l.account_id FROM accounting_verificationline l
             JOIN accounting_account a ON a.id = l.account_id
             WHERE l.verification_id = v_id AND a.kind = 'available' LOOP
        balance := accounting_account_balance(r.account_id);
        IF balance > 0 THEN
            RAISE EXCEPTION 'DGR: available capital on account % would be below zero (%)', r.account_id, -balance
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    FOR r IN SELECT DISTINCT l.commitment_id FROM accounting_verificationline l
             WHERE l.verification_id = v_id AND l.commitment_id IS NOT NULL LOOP
        SELECT coalesce(sum(l.amount), 0) INTO balance FROM accounting_verificationline l
            JOIN accounting_account a ON a.id = l.account_id
            WHERE l.commitment_id = r.commitment_id AND a.kind = 'reserved';
        IF balance > 0 THEN
            RAISE EXCEPTION 'DGR: commitment % would have below zero remaining (%)', r.commitment_id, -balance
                USING ERRCODE = 'check_violation';
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

CREATE TRIGGER accounting_fiscalyear_before_update BEFORE UPDATE ON accounting_fiscalyear
    FOR EACH ROW EXECUTE FUNCTION accounting_fiscal_year_before_update();
CREATE TRIGGER accounting_verification_before_insert BEFORE INSERT ON accounting_verification
    FOR EACH ROW EXECUTE FUNCTION accounting_verification_before_insert();
CREATE TRIGGER accounting_line_before_insert BEFORE INSERT ON accounting_verificationline
    FOR EACH ROW EXECUTE FUNCTION accounting_line_before_insert();
CREATE CONSTRAINT TRIGGER accounting_verification_balances AFTER INSERT ON accounting_verification
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accounting_check_verification();
CREATE CONSTRAINT TRIGGER accounting_line_balances AFTER INSERT ON accounting_verificationline
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION accounting_check_verification();
"""

REVERSE_FUNCTIONS = """
DROP TRIGGER IF EXISTS accounting_line_balances ON accounting_verificationline;
DROP TRIGGER IF EXISTS accounting_verification_balances ON accounting_verification;
DROP TRIGGER IF EXISTS accounting_line_before_insert ON accounting_verificationline;
DROP TRIGGER IF EXISTS accounting_verification_before_insert ON accounting_verification;
DROP TRIGGER IF EXISTS accounting_fiscalyear_before_update ON accounting_fiscalyear;
DROP FUNCTION IF EXISTS accounting_check_verification();
DROP FUNCTION IF EXISTS accounting_account_balance(bigint);
DROP FUNCTION IF EXISTS accounting_line_before_insert();
DROP FUNCTION IF EXISTS accounting_verification_before_insert();
DROP FUNCTION IF EXISTS accounting_fiscal_year_before_update();
"""


def _per_table():
    sql, reverse = [], []
    for table in APPEND_ONLY:
        sql.append(
            f"CREATE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION accounting_refuse_change();"
        )
        sql.append(
            f"CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION accounting_refuse_truncate();"
        )
        reverse += [
            f"DROP TRIGGER IF EXISTS {table}_refuse_change ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table};",
        ]
    for table in NEVER_DELETED:
        sql.append(
            f"CREATE TRIGGER {table}_refuse_delete BEFORE DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION accounting_refuse_delete();"
        )
        reverse.append(f"DROP TRIGGER IF EXISTS {table}_refuse_delete ON {table};")
    reverse += [
        "DROP FUNCTION IF EXISTS accounting_refuse_change();",
        "DROP FUNCTION IF EXISTS accounting_refuse_delete();",
        "DROP FUNCTION IF EXISTS accounting_refuse_truncate();",
    ]
    return "\n".join(sql), "\n".join(reverse)


PER_TABLE, REVERSE_PER_TABLE = _per_table()


class Migration(migrations.Migration):
    dependencies = [("accounting", "0001_ledger")]
    operations = [
        migrations.RunSQL(FUNCTIONS, REVERSE_FUNCTIONS),
        migrations.RunSQL(PER_TABLE, REVERSE_PER_TABLE),
    ]
