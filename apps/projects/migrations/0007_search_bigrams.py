# Written by hand (issue 15): an index that serves ?q= for two-character Chinese terms.

from django.db import migrations

# Chinese search terms are mostly two characters (光伏, 水利, 西宁). pg_trgm cannot serve
# LIKE '%光伏%' — a two-character substring holds no trigram — so the trigram indexes of
# migration 0006 fall back to reading the whole library (140 ms at 100,000 projects). This
# index holds the *bigrams* of the searched columns (name, code, 实施主体; upper-cased as
# Django's icontains compares them, separated by chr(1) so no bigram spans two columns):
# every substring match contains all the term's bigrams, so ``bigrams @> bigrams(term)`` is
# an index condition that narrows the rows the ILIKE then checks (apps.projects.filters).
# PostgreSQL only; SQLite (the embedded default) keeps the plain LIKE scan.

FUNCTION = """
CREATE OR REPLACE FUNCTION qh_bigrams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(t, i, 2)), '{}')
    FROM generate_series(1, length(t) - 1) AS i
$$
"""
INDEX = """
CREATE INDEX IF NOT EXISTS project_text_bigrams ON projects_project USING gin (
    qh_bigrams(UPPER(name::text) || chr(1) || UPPER(code::text) || chr(1)
               || UPPER(implementing_entity::text))
)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(INDEX, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS project_text_bigrams", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS qh_bigrams(text)", params=None)


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_scale_indexes")]

    operations = [migrations.RunPython(create, drop)]
