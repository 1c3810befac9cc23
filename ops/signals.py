from django.dispatch import Signal

# Sent by each task worker (db_worker, rqworker) as it starts, before its loop: apps that keep
# their own records of owed work (comment mail) re-queue it and start their periodic sweeps.
worker_started = Signal()
