# Written by hand (issue 15): each contract's latest report, kept by PostgreSQL on every write.

from django.db import migrations

# ``rates`` as of a period is each contract's latest report with ``period <= it``. At 100,000
# contracts and 1.1 million reports, finding that report per contract (a LATERAL probe of the
# (contract, period) index) takes ~0.7 s; for the current month — what the cockpit, the rates
# page and the API show — it is simply the contract's latest report. This table holds that
# row per contract, maintained by statement-level triggers on the reports table (insert,
# update, delete, truncate), so every write path keeps it exact: the services, the importers,
# bulk_create, QuerySet.update and raw SQL alike. apps.contracts.selectors reads it and falls
# back to the LATERAL probe only for the contracts whose latest report is after the period
# asked for, so past periods stay exact too. No foreign key: the test runner's flush truncates
# the Django tables (the TRUNCATE trigger empties this one with them).
#
# PostgreSQL only; SQLite (the embedded default) keeps the ORM's correlated subqueries.

CREATE = """
CREATE TABLE IF NOT EXISTS contracts_latest_report (
    contract_id bigint PRIMARY KEY,
    period date NOT NULL,
    is_performing boolean NOT NULL,
    is_started boolean NOT NULL,
    funds_arrived_to_date numeric(14, 4) NOT NULL
);

CREATE OR REPLACE FUNCTION contracts_latest_report_refresh(ids bigint[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO contracts_latest_report AS t
    SELECT DISTINCT ON (r.contract_id) r.contract_id, r.period, r.is_performing, r.is_started,
           r.funds_arrived_to_date
    FROM contracts_contractreport r
    WHERE r.contract_id = ANY(ids)
    ORDER BY r.contract_id, r.period DESC
    ON CONFLICT (contract_id) DO UPDATE SET
        period = EXCLUDED.period, is_performing = EXCLUDED.is_performing,
        is_started = EXCLUDED.is_started, funds_arrived_to_date = EXCLUDED.funds_arrived_to_date;
    DELETE FROM contracts_latest_report t
    WHERE t.contract_id = ANY(ids)
      AND NOT EXISTS (SELECT 1 FROM contracts_contractreport r WHERE r.contract_id = t.contract_id);
$$;

CREATE OR REPLACE FUNCTION contracts_latest_report_on_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM contracts_latest_report_refresh(ARRAY(SELECT DISTINCT contract_id FROM new_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION contracts_latest_report_on_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM contracts_latest_report_refresh(ARRAY(
        SELECT contract_id FROM new_rows UNION SELECT contract_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION contracts_latest_report_on_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM contracts_latest_report_refresh(ARRAY(SELECT DISTINCT contract_id FROM old_rows));
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION contracts_latest_report_on_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE contracts_latest_report;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS contracts_latest_report_ins ON contracts_contractreport;
CREATE TRIGGER contracts_latest_report_ins AFTER INSERT ON contracts_contractreport
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contracts_latest_report_on_insert();
DROP TRIGGER IF EXISTS contracts_latest_report_upd ON contracts_contractreport;
CREATE TRIGGER contracts_latest_report_upd AFTER UPDATE ON contracts_contractreport
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contracts_latest_report_on_update();
DROP TRIGGER IF EXISTS contracts_latest_report_del ON contracts_contractreport;
CREATE TRIGGER contracts_latest_report_del AFTER DELETE ON contracts_contractreport
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION contracts_latest_report_on_delete();
DROP TRIGGER IF EXISTS contracts_latest_report_trunc ON contracts_contractreport;
CREATE TRIGGER contracts_latest_report_trunc AFTER TRUNCATE ON contracts_contractreport
    FOR EACH STATEMENT EXECUTE FUNCTION contracts_latest_report_on_truncate();

-- Backfill from the reports already stored.
INSERT INTO contracts_latest_report
SELECT DISTINCT ON (contract_id) contract_id, period, is_performing, is_started,
       funds_arrived_to_date
FROM contracts_contractreport ORDER BY contract_id, period DESC
ON CONFLICT (contract_id) DO NOTHING;
"""

DROP = """
DROP TRIGGER IF EXISTS contracts_latest_report_ins ON contracts_contractreport;
DROP TRIGGER IF EXISTS contracts_latest_report_upd ON contracts_contractreport;
DROP TRIGGER IF EXISTS contracts_latest_report_del ON contracts_contractreport;
DROP TRIGGER IF EXISTS contracts_latest_report_trunc ON contracts_contractreport;
DROP FUNCTION IF EXISTS contracts_latest_report_on_insert();
DROP FUNCTION IF EXISTS contracts_latest_report_on_update();
DROP FUNCTION IF EXISTS contracts_latest_report_on_delete();
DROP FUNCTION IF EXISTS contracts_latest_report_on_truncate();
DROP FUNCTION IF EXISTS contracts_latest_report_refresh(bigint[]);
DROP TABLE IF EXISTS contracts_latest_report;
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("contracts", "0004_contract_region_basis")]

    operations = [migrations.RunPython(create, drop)]
