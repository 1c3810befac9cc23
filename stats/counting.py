"""Counting views without a database write per view, right across processes.

A beacon is counted in memory or in Redis, never straight into the database:

- **With Redis** (`REDIS_URL`), every process counts in one shared hash with a single round
  trip (a small Lua script): the reader's daily hash goes into today's set (`SADD`, which says
  whether it is new, so dedupe is exact across processes and hosts) and the counters are bumped
  with `HINCRBY`. A flush renames the hash (atomic: new views start a fresh one) and writes it;
  a marker row written in the same transaction keeps a batch from ever being applied twice,
  even if the flusher dies between the commit and deleting the batch.
- **Without Redis** the default cache is per process, so each process keeps its own buffer and
  writes it itself. Readers' hashes travel with the batch, and the database decides which are
  new (`SeenReader`'s unique constraint, `INSERT … ON CONFLICT DO NOTHING RETURNING`), so two
  gunicorn workers that saw the same reader count them once.

A flush happens STATS_FLUSH_SECONDS after the first view not yet written (a timer thread, so a
quiet site is still written promptly), when a process's buffer holds STATS_FLUSH_MAX_HITS views,
when staff open the statistics, and when a process exits. A spike of 1,000 views a second thus
costs each process one transaction every few seconds. A process killed outright (SIGKILL) loses
the views of its last few seconds.

Readers are told apart by HMAC-SHA256(today's salt, IP address, user agent, article), cut to
128 bits. The salt is random (`secrets`), made by the first view of the day, shared by every
process (Redis, or a table) and deleted once the day is over; it never derives from SECRET_KEY
or the date, so yesterday's hashes cannot be recomputed by anyone.
"""

import atexit
import datetime
import hashlib
import hmac
import logging
import os
import secrets
import threading
import uuid
from itertools import chain

import redis
from django.conf import settings
from django.db import IntegrityError, close_old_connections, connections, transaction

from .batches import Batch, apply
from .days import GRACE, seconds_left_of, start_of, today
from .models import DailySalt, FlushedBatch, SeenReader
from .tasks import forget_past_days

logger = logging.getLogger(__name__)


def reader_digest(salt, ip, user_agent, article_id):
    message = f"{ip}\n{user_agent}\n{article_id}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:32]


def _new_day(day):
    """Today's salt was just made: the earlier days' salts go at once.

    Yesterday's hashes stay for the grace period: other processes may not have written
    yesterday's last views yet. The daily task deletes today's salt and hashes once the day
    and its grace period are over, even if nobody reads tomorrow, and prunes figures older than
    STATS_RETENTION_DAYS.
    """
    DailySalt.objects.filter(day__lt=day).delete()
    SeenReader.objects.filter(day__lt=day - datetime.timedelta(days=1)).delete()
    if forget_past_days.get_backend().supports_defer:  # else the next day's first view does
        tomorrow = start_of(day + datetime.timedelta(days=1))
        forget_past_days.using(run_after=tomorrow + GRACE).enqueue()


class LocalStore:
    """This process's buffer; the database dedupes readers when it is written."""

    def __init__(self):
        self.lock = threading.Lock()
        self.batch = Batch()
        self.salts = {}

    def salt(self, day):
        if day not in self.salts:
            salt, created = DailySalt.objects.get_or_create(
                day=day, defaults={"value": secrets.token_hex(32)}
            )
            if created:
                _new_day(day)
            self.salts = {day: salt.value}  # the old day's salt is dropped from memory too
        return self.salts[day]

    def count_view(self, day, article_id, digest, host, from_mail):
        with self.lock:
            batch = self.batch
            batch.views[day, article_id] += 1
            batch.digests.setdefault((day, digest), article_id)
            if from_mail:
                batch.mail[day, article_id] += 1
            if host:
                batch.referrers[day, article_id, host] += 1
            batch.hits += 1
            return batch.hits

    def count_search(self, day, term, found):
        with self.lock:
            batch = self.batch
            batch.searches[day, term] += 1
            if not found:
                batch.empty[day, term] += 1
            batch.hits += 1
            return batch.hits

    def pending(self):
        return self.batch.hits

    def flush(self):
        with self.lock:
            batch, self.batch = self.batch, Batch()
        if not batch:
            return 0
        try:
            rows = apply(batch)
        except Exception:
            with self.lock:
                batch.merge(self.batch)
                self.batch = batch
            raise
        logger.info("stats flush: %d hits, %d rows", batch.hits, rows)
        return batch.hits


# KEYS: the pending hash, today's set of hashes. ARGV: the reader's hash ("" for a search), the
# set's lifetime, the readers field, then every field to add one to.
_COUNT = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[2], ARGV[1]) == 1 then
  redis.call('EXPIRE', KEYS[2], ARGV[2])
  redis.call('HINCRBY', KEYS[1], ARGV[3], 1)
end
for i = 4, #ARGV do redis.call('HINCRBY', KEYS[1], ARGV[i], 1) end
return 1
"""
# KEYS: the pending hash, its new name, the set of batches being written. Renaming is atomic:
# views counted from now on start a fresh hash.
_TAKE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], KEYS[2])
end
return redis.call('SMEMBERS', KEYS[3])
"""
SEP = "|"


class RedisStore:
    """Counts shared by every process in Redis; any process (or the worker) writes them."""

    def __init__(self, url, prefix):
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix
        self.pending_key = f"{prefix}pending"
        self.batches_key = f"{prefix}batches"
        self.script = self.client.register_script(_COUNT)
        self.take = self.client.register_script(_TAKE)
        self.salts = {}
        self.counted = False  # by this process: then it writes what is waiting when it exits

    def key(self, *parts):
        return self.prefix + SEP.join(str(part) for part in parts)

    def salt(self, day):
        if day not in self.salts:
            key = self.key("salt", day)
            created = self.client.set(key, secrets.token_hex(32), nx=True, ex=seconds_left_of(day))
            value = self.client.get(key).decode()
            if created:
                # The earlier days' salts and sets, now (their lifetimes would end them too).
                earlier = [day - datetime.timedelta(days=n) for n in range(1, 3)]
                self.client.delete(
                    *chain.from_iterable(
                        (self.key("salt", d), self.key("seen", d)) for d in earlier
                    )
                )
                _new_day(day)
            self.salts = {day: value}
        return self.salts[day]

    def count_view(self, day, article_id, digest, host, from_mail):
        self.counted = True
        fields = [f"v{SEP}{day}{SEP}{article_id}"]
        if from_mail:
            fields.append(f"m{SEP}{day}{SEP}{article_id}")
        if host:
            fields.append(f"r{SEP}{day}{SEP}{article_id}{SEP}{host}")
        self.script(
            keys=[self.pending_key, self.key("seen", day)],
            args=[digest, seconds_left_of(day), f"u{SEP}{day}{SEP}{article_id}", *fields],
        )
        return 0

    def count_search(self, day, term, found):
        self.counted = True
        fields = [f"s{SEP}{day}{SEP}{term}"]
        if not found:
            fields.append(f"e{SEP}{day}{SEP}{term}")
        self.script(keys=[self.pending_key, self.key("seen", day)], args=["", 1, "", *fields])
        return 0

    def pending(self):
        return self.client.hlen(self.pending_key)

    def flush(self):
        taken = self.key("flushing", uuid.uuid4().hex)
        # Batches left by a flusher that died come back too; their marker rows decide.
        names = self.take(keys=[self.pending_key, taken, self.batches_key])
        return sum(self._write(name.decode()) for name in names)

    def _write(self, name):
        batch = self.parse(self.client.hgetall(name))
        try:
            with transaction.atomic():
                # First, so that a second flusher of the same batch waits here, then fails.
                FlushedBatch.objects.create(name=name.rsplit(SEP, 1)[-1])
                rows = apply(batch)
        except IntegrityError:  # another process has written this batch already
            rows = None
        self.client.delete(name)
        self.client.srem(self.batches_key, name)
        if rows is None:
            return 0
        logger.info("stats flush: %d hits, %d rows", batch.hits, rows)
        return batch.hits

    @staticmethod
    def parse(fields):
        batch = Batch()
        targets = {
            "v": batch.views, "u": batch.readers, "m": batch.mail, "r": batch.referrers,
            "s": batch.searches, "e": batch.empty,
        }  # fmt: skip
        for raw, count in fields.items():
            kind, day, rest = raw.decode().split(SEP, 2)
            day = datetime.date.fromisoformat(day)
            count = int(count)
            if kind in "vumr":
                article_id, _, host = rest.partition(SEP)
                key = (day, int(article_id), host) if kind == "r" else (day, int(article_id))
            else:
                key = (day, rest)
            targets[kind][key] += count
            if kind in "vs":
                batch.hits += count
        return batch


_local = LocalStore()


_redis = {}  # (url, prefix): this process's RedisStore


def store():
    """The counting store of this configuration (read at each call, so tests can switch)."""
    if settings.REDIS_URL:
        key = (settings.REDIS_URL, settings.STATS_REDIS_PREFIX)
        if key not in _redis:
            _redis[key] = RedisStore(*key)
        return _redis[key]
    return _local


def count_view(ip, user_agent, article_id, host=None, from_mail=False):
    counter = store()
    day = today()
    digest = reader_digest(counter.salt(day), ip, user_agent, article_id)
    _after_count(counter.count_view(day, article_id, digest, host, from_mail))


def count_search(term, found):
    _after_count(store().count_search(today(), term, found))


def flush():
    """Write what this process (and, with Redis, every process) has counted; returns the hits."""
    return store().flush()


def _after_count(buffered):
    if buffered >= settings.STATS_FLUSH_MAX_HITS:
        flush()
    else:
        _timer.start_once()


class _FlushTimer:
    """One pending flush per process, STATS_FLUSH_SECONDS after the first unwritten view."""

    def __init__(self):
        self.lock = threading.Lock()
        self.thread = None

    def start_once(self):
        seconds = settings.STATS_FLUSH_SECONDS
        if seconds <= 0:  # no background flush (tests write explicitly)
            return
        with self.lock:
            if self.thread is None:
                self.thread = threading.Timer(seconds, self.run)
                self.thread.daemon = True
                self.thread.start()

    def run(self):
        with self.lock:
            self.thread = None
        try:
            flush()
        except Exception:
            logger.exception("stats flush failed; the counts are kept for the next one")
            self.start_once()
        finally:
            connections.close_all()  # this thread's connections only

    def cancel(self):
        with self.lock:
            thread, self.thread = self.thread, None
        if thread is not None:
            thread.cancel()
            if thread is not threading.current_thread():
                thread.join(timeout=30)


_timer = _FlushTimer()


def reset():
    """Forget everything counted and not written, and any pending flush (tests)."""
    global _local
    _timer.cancel()
    _local = LocalStore()
    _redis.clear()


def _flush_at_exit():
    """A process that counted writes what is waiting (a deploy, gunicorn recycling a worker)."""
    stores = [_local] if _local.pending() else []
    stores += [shared for shared in _redis.values() if shared.counted]
    if not stores:
        return
    _timer.cancel()
    close_old_connections()
    for counter in stores:
        try:
            counter.flush()
        except Exception:
            logger.exception("stats: the last views of this process could not be written")


def _after_fork():
    # gunicorn forks its workers from a preloaded master: each starts with its own buffer.
    global _local, _timer
    _local = LocalStore()
    _timer = _FlushTimer()
    _redis.clear()


atexit.register(_flush_at_exit)
os.register_at_fork(after_in_child=_after_fork)
