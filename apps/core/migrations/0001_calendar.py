# The working-day calendar moves from the tasks app to core (issue 10 pt 8): every app's time
# limits count working days. State only here; tasks 0005 renames the existing tables, so the
# data (and the admin's history of it) carry over and core depends on no domain app.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CalendarDay',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('date', models.DateField(unique=True, verbose_name='日期')),
                        ('is_workday', models.BooleanField(default=False, help_text='勾选表示调休上班日（周末补班）；不勾选表示放假。', verbose_name='是否上班')),
                        ('name', models.CharField(help_text='如 春节、国庆节', max_length=32, verbose_name='节日')),
                        ('note', models.CharField(blank=True, max_length=128, verbose_name='依据')),
                    ],
                    options={
                        'verbose_name': '节假日安排',
                        'verbose_name_plural': '节假日安排',
                        'ordering': ['date'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalCalendarDay',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('date', models.DateField(db_index=True, verbose_name='日期')),
                        ('is_workday', models.BooleanField(default=False, help_text='勾选表示调休上班日（周末补班）；不勾选表示放假。', verbose_name='是否上班')),
                        ('name', models.CharField(help_text='如 春节、国庆节', max_length=32, verbose_name='节日')),
                        ('note', models.CharField(blank=True, max_length=128, verbose_name='依据')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical 节假日安排',
                        'verbose_name_plural': 'historical 节假日安排',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
    
            ],
            database_operations=[],
        ),
    ]
