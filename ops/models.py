from django.db import models


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
