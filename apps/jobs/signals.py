"""What the job runner announces. It writes no message itself: the notifications app connects
a receiver (apps.notifications.subscribers) and puts the note in the starter's inbox, so jobs
does not import notifications (issue 10 point 4).

``job_notice`` is sent synchronously (a plain Django signal), with ``job`` (a ``JobRun``
whose ``user`` is set), ``title``, ``body`` and ``url`` (the job's page).
"""

from django.dispatch import Signal

job_notice = Signal()
