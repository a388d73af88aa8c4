# The working-day calendar now lives in core (core 0001 declares it): rename its tables to
# core's names and move its content types (and so the admin permissions granted on them and the
# admin log), then drop the models from the tasks app's state. No data is copied or lost.

from django.db import migrations

TABLES = [
    ("tasks_calendarday", "core_calendarday"),
    ("tasks_historicalcalendarday", "core_historicalcalendarday"),
]
MODELS = ["calendarday", "historicalcalendarday"]


def rename_tables(apps, schema_editor, *, reverse=False):
    for old, new in TABLES:
        if reverse:
            old, new = new, old
        schema_editor.alter_db_table(None, old, new)


def move_content_types(apps, schema_editor, *, reverse=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old, new = ("core", "tasks") if reverse else ("tasks", "core")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    rename_tables(apps, schema_editor)
    move_content_types(apps, schema_editor)


def backwards(apps, schema_editor):
    rename_tables(apps, schema_editor, reverse=True)
    move_content_types(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_calendar"),
        ("tasks", "0004_demo_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalCalendarDay"),
                migrations.DeleteModel(name="CalendarDay"),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
