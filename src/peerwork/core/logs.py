"""Log records without respondents' secrets.

Django logs every 4xx and 5xx response with its path ("Conflict: /answer/<code>/submit/"),
and the development server logs every request line. On the answering pages the path
holds a share-link or invitation token or a respondent's private code; with the time a
log line carries, the code (whose hash is stored with the response) would tell when that
respondent was answering, and would let a reader of the log open their answers. This
filter replaces those path segments before any handler sees the record.
"""

from __future__ import annotations

import logging
import re

# The answering pages and API routes, with the secret as the segment after them:
# /a/<token>/, /i/<token>/, /answer/<code>/, /s/<token>/, /s/i/<token>/, /s/r/<code>/, and
# /api/v1/answer/… and /api/v1/survey-answers/… (<code>, links/<token>, invitations/<token>).
SECRET_IN_PATH = re.compile(
    r"(?<![\w/.-])(/(?:s/i|s/r|s|a|i|answer)/"
    r"|/api/v1/(?:answer|survey-answers)/(?:links/|invitations/)?)[^/\s?#\"']+")
REDACTED = r"\1…"


def redact(text: str) -> str:
    """``text`` with every respondent token or code in a path replaced by "…"."""
    return SECRET_IN_PATH.sub(REDACTED, text)


class RedactRespondentSecrets(logging.Filter):
    """Attach to the ``django.request`` and ``django.server`` loggers (settings.LOGGING)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        request = getattr(record, "request", None)
        if request is not None and SECRET_IN_PATH.search(getattr(request, "path", "")):
            # An error e-mail would print the whole request, address and path included.
            record.request = None
        return True
