"""An account's balance reads only what it needs (issue 16): the last closed year's snapshot plus the lines
of the fund's open years, found through the index `line_year_account` (fiscal year, account, …).

0002's definition joined every line of the account, across all years, to its fiscal year and discarded the
closed years' lines afterwards: at 1 000 000 journal lines one available account has ~170 000 lines, and
each posting's check at COMMIT paid for all of them. Here the open years are looked up first (a fund has a
handful of years) and the lines are read with `fiscal_year_id = ANY(open years) AND account_id = …`, an
index range per open year, so the cost follows the open years' lines, not the journal's length.

The result is the same by construction: a line's year belongs to its verification's fund, and the account
belongs to that fund too (accounting_line_before_insert), so "the open years of the account's fund" are
exactly the open years among the account's lines. The function stays VOLATILE (as before): the commit-time
check calls it after locking the capital parts, and it must see what the transaction that held the lock
committed.
"""

from django.db import migrations

BALANCE = r"""
CREATE OR REPLACE FUNCTION accounting_account_balance(p_account bigint) RETURNS numeric LANGUAGE sql AS $$
    WITH years AS (
        SELECT y.id, y.year, y.status FROM accounting_fiscalyear y
        WHERE y.fund_id = (SELECT a.fund_id FROM accounting_account a WHERE a.id = p_account)
    )
    SELECT coalesce((SELECT sum(b.closing) FROM accounting_yearbalance b
                     WHERE b.account_id = p_account
                       AND b.fiscal_year_id = (SELECT id FROM years WHERE status = 'closed'
                                               ORDER BY year DESC LIMIT 1)), 0)
         + coalesce((SELECT sum(l.amount) FROM accounting_verificationline l
                     WHERE l.fiscal_year_id = ANY (ARRAY(SELECT id FROM years WHERE status = 'open'))
                       AND l.account_id = p_account), 0)
$$;
"""

# 0002's definition, restored on the way back.
PREVIOUS_BALANCE = r"""
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
"""


class Migration(migrations.Migration):
    dependencies = [("accounting", "0009_decision_document_may_be_replaced")]
    operations = [migrations.RunSQL(BALANCE, PREVIOUS_BALANCE)]
