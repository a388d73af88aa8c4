"""The Celery application: configured from Django settings (CELERY_* names).

Tasks live in each app's tasks.py (autodiscovered). The schedule is declared in
apps/jobs/schedules.py and loaded into django-celery-beat by ``manage.py setup_schedules``;
without a broker, ``manage.py run_due_jobs`` runs what is due in-process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qhprojects.settings")

app = Celery("qhprojects")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
