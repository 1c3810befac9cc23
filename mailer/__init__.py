"""Our one mail path: every mail the site sends is built, judged and retried through here.

- `compose.build`: a multipart (text and HTML) message from a template name and a context.
- `failures.classify`: what an SMTP error means (temporary, relay refused, bounced), and
  `failures.backoff`: how long to wait before the next attempt, from MAIL_RETRY_DELAYS.
- `staff`: who hears about comments to moderate, and about mail that could not be sent.

Pure functions, no models: the apps own their delivery records and decide what to retry and
how often; this package only says what happened and how long to wait.
"""
