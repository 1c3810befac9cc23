"""Database writes that must survive a lost connection (a PostgreSQL restart, a killed backend)."""

import logging
import time

from django.db import InterfaceError, OperationalError
from django.db import connection as db_connection

logger = logging.getLogger(__name__)

# Writes that record what already happened are tried this many times over a lost connection.
DB_RETRIES = 5


def durably(function, *args, tries=DB_RETRIES):
    """Run `function` (short, idempotent writes), again on a fresh connection if the database
    connection was lost (a restart, an administrator's kill).

    What it records has already happened (the SMTP server took a mail): giving up at the first
    lost connection would leave the row "sending", and staff would be offered "Send again".
    """
    for attempt in range(1, tries + 1):
        try:
            return function(*args)
        except (OperationalError, InterfaceError):
            if attempt == tries or db_connection.in_atomic_block:
                raise
            logger.warning("Lost the database connection; trying again", exc_info=True)
            db_connection.close()
            time.sleep(min(0.2 * 2**attempt, 5))
    return None
