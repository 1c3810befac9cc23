from django.db import models
from django.utils import timezone


class Schedule(models.Model):
    """A periodic task's next run, so that one chain of it runs however many workers start.

    A periodic task queues its own next run. Every worker makes sure, when it starts, that a
    run is waiting (`ops.periodic.ensure`), and every run first claims its period
    (`ops.periodic.claim`): a second chain, started by a second worker or left over from a
    lost queue, finds its period taken and ends there.
    """

    task_path = models.CharField(max_length=200, unique=True)
    due_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["task_path"]

    def __str__(self):
        return self.task_path


class Alert(models.Model):
    """Something staff must hear about (mail that could not be sent, a relay refusing it).

    Mailed to staff when it is raised, and kept here whether or not that mail went out: when the
    relay is the problem, it usually refuses the alert too, and the dashboard still shows it.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    source = models.CharField(max_length=40, help_text="What raised it (follower mail, …).")
    subject = models.CharField(max_length=300)
    error = models.TextField(blank=True)
    summary = models.TextField()
    url = models.CharField(max_length=500, blank=True, help_text="Where staff act on it.")
    mailed = models.BooleanField(default=False, help_text="Whether the alert mail went out.")
    mail_error = models.TextField(blank=True)
    dismissed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject
