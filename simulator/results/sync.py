"""Sending stored results to a learning record store (xAPI POST /statements), remembering per LRS what it accepted.

Statements go in batches of whole conversations. A conversation is marked as sent (table `lrs_sent`, in the results
database) only after the LRS accepted the batch that carried it, in one transaction with the others of that batch:
a run that is killed or loses the network re-sends at most one batch, and the LRS keeps no duplicates because a
statement's id follows its content (the LRS drops a statement it already holds with the same id and content).
"""
from __future__ import annotations

import base64
import configparser
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterable

from simulator.results import xapi
from simulator.results.record import utc_timestamp

USER_ENV = "KLANTSIM_LRS_USER"
PASSWORD_ENV = "KLANTSIM_LRS_PASSWORD"
CONFIG_FILE = "lrs.ini"
DEFAULT_BATCH = 200       # statements per POST (whole conversations; one may overshoot it)
DEFAULT_RETRIES = 5       # after a network error or a 5xx: waits of 0.5, 1, 2, 4, 8 s
TIMEOUT_SECONDS = 60

_TABLE = """
CREATE TABLE IF NOT EXISTS lrs_sent (
    lrs             TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    statements      INTEGER NOT NULL,
    sent_at         TEXT NOT NULL,
    PRIMARY KEY (lrs, conversation_id)
)"""


class SyncError(Exception):
    """Sync stopped; the message (one line) says why and what to do. Nothing unaccepted was marked as sent."""


@dataclass
class Credentials:
    user: str
    password: str
    source: str  # where they came from, for messages (never the password itself)


@dataclass
class SyncReport:
    lrs: str
    conversations: int = 0
    statements: int = 0
    left: int = 0


def endpoint(url: str) -> str:
    """The LRS's xAPI endpoint as KlantSim remembers it: scheme, host, port and path, without credentials, query or
    a trailing /statements. Raises SyncError for something that is not a web address."""
    parsed = urllib.parse.urlsplit(url.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise SyncError(f"--lrs {_safe(url)!r} is not a web address; give e.g. https://lrs.example.org/xAPI")
    path = parsed.path.rstrip("/")
    if path.endswith("/statements"):
        path = path[: -len("/statements")]
    host = parsed.hostname if ":" not in parsed.hostname else f"[{parsed.hostname}]"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{host}{port}{path}"


def _safe(url: str) -> str:
    """A URL fit to print: any user:password@ part removed."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.username or parsed.password:
        netloc = parsed.netloc.rsplit("@", 1)[-1]
        return urllib.parse.urlunsplit(parsed._replace(netloc=netloc))
    return url


def config_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("klantsim", appauthor=False)) / CONFIG_FILE


def find_credentials(lrs: str, user: str | None, password: str | None) -> Credentials | None:
    """--user/--password, else $KLANTSIM_LRS_USER/$KLANTSIM_LRS_PASSWORD, else the config file's section named by
    the LRS's address (or [default]). None when none of them gives both."""
    if user and password is not None:
        return Credentials(user, password, "--user/--password")
    if os.environ.get(USER_ENV) and os.environ.get(PASSWORD_ENV) is not None:
        return Credentials(os.environ[USER_ENV], os.environ[PASSWORD_ENV], f"${USER_ENV}/${PASSWORD_ENV}")
    path = config_path()
    if path.is_file():
        parser = configparser.ConfigParser(interpolation=None)
        try:
            parser.read(path, encoding="utf-8")
        except (configparser.Error, UnicodeDecodeError, OSError) as exc:
            raise SyncError(f"{path} cannot be read ({type(exc).__name__}); write it as [{lrs}] with user = and "
                            f"password = lines") from None
        for section in (lrs, lrs + "/", "default"):
            if parser.has_section(section) and parser.has_option(section, "user") and \
                    parser.has_option(section, "password"):
                return Credentials(parser.get(section, "user"), parser.get(section, "password"), str(path))
    return None


# ------------------------------------------------------------------------------------------------ what was sent
def _ensure_table(store) -> None:
    # Created on first use rather than by a schema migration: an older KlantSim opening this database sees a table
    # it does not know and leaves it alone, instead of taking the file for one from a newer version.
    store._db.execute(_TABLE)


def unsent_ids(store, lrs: str) -> list[str]:
    _ensure_table(store)
    return [row[0] for row in store._db.execute(
        "SELECT id FROM conversations WHERE id NOT IN (SELECT conversation_id FROM lrs_sent WHERE lrs = ?)"
        " ORDER BY finished_at, id", (lrs,))]


def unsent_count(store, url: str) -> int:
    """How many stored conversations `sync --lrs url` has not yet had accepted."""
    lrs = endpoint(url)
    exists = store._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lrs_sent'").fetchone()
    if not exists:
        return store.count()
    return store._db.execute(
        "SELECT COUNT(*) FROM conversations WHERE id NOT IN (SELECT conversation_id FROM lrs_sent WHERE lrs = ?)",
        (lrs,)).fetchone()[0]


def known_lrs(store) -> list[tuple[str, int]]:
    """Every LRS that accepted something from this database, with how many conversations it has not yet had."""
    exists = store._db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'lrs_sent'").fetchone()
    if not exists:
        return []
    return [(lrs, unsent_count(store, lrs)) for (lrs,) in store._db.execute(
        "SELECT DISTINCT lrs FROM lrs_sent ORDER BY lrs")]


def mark_sent(store, lrs: str, sent: Iterable[tuple[str, int]]) -> None:
    stamp = utc_timestamp()
    with store._transaction():
        store._db.executemany("INSERT OR REPLACE INTO lrs_sent (lrs, conversation_id, statements, sent_at)"
                              " VALUES (?, ?, ?, ?)", [(lrs, cid, count, stamp) for cid, count in sent])


# ------------------------------------------------------------------------------------------------ sending
class Lrs:
    """POST /statements to one LRS with basic auth; retries network errors and 5xx with growing waits."""

    def __init__(self, url: str, credentials: Credentials, retries: int = DEFAULT_RETRIES,
                 first_wait: float = 0.5, sleep: Callable[[float], None] = time.sleep):
        self.url = endpoint(url)
        token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode("ascii")
        self._headers = {"Authorization": f"Basic {token}", "Content-Type": "application/json",
                         "X-Experience-API-Version": xapi.XAPI_VERSION}
        self.credentials_source = credentials.source
        self.retries = retries
        self.first_wait = first_wait
        self._sleep = sleep

    def post(self, statements: list[dict[str, Any]]) -> None:
        body = ("[" + ",".join(xapi.statement_text(s) for s in statements) + "]").encode("utf-8")
        wait, attempt = self.first_wait, 0
        while True:
            problem = self._post_once(body)
            if problem is None:
                return
            attempt += 1
            if attempt > self.retries:
                raise SyncError(f"the LRS at {self.url} cannot be reached ({problem}) after {self.retries} "
                                f"retries; run sync again later")
            self._sleep(wait)
            wait = min(wait * 2, 8.0)

    def _post_once(self, body: bytes) -> str | None:
        """None when the LRS accepted the batch; a short reason when it is worth trying again; SyncError else."""
        request = urllib.request.Request(self.url + "/statements", data=body, headers=self._headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
                response.read()
                return None
        except urllib.error.HTTPError as exc:
            detail = _detail(exc)
            if exc.code in (401, 403):
                raise SyncError(f"the LRS at {self.url} refused the user name or password (HTTP {exc.code}); "
                                f"check the credentials from {self.credentials_source}") from None
            if exc.code >= 500 or exc.code in (408, 429):
                return f"HTTP {exc.code}"
            raise SyncError(f"the LRS at {self.url} rejected a batch (HTTP {exc.code}{': ' + detail if detail else ''})"
                            f"; nothing of that batch was marked as sent") from None
        except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, cut off mid-answer
            reason = getattr(exc, "reason", None) or exc
            return f"{type(exc).__name__}: {str(reason)[:120]}"


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read(2000).decode("utf-8", "replace")
    except Exception:
        return ""
    try:
        data = json.loads(text)
        text = str(data.get("detail", text)) if isinstance(data, dict) else text
    except ValueError:
        pass
    return " ".join(text.split())[:200]


def sync(store, lrs: Lrs, base_iri: str = xapi.DEFAULT_BASE_IRI, pass_score: int | None = None,
         batch_size: int = DEFAULT_BATCH, progress: Callable[[SyncReport], None] | None = None) -> SyncReport:
    """Send every conversation not yet accepted by this LRS; returns what was sent. On SyncError, the batches sent
    before it stay marked (see `report` on the exception) and the rest waits for the next run."""
    report = SyncReport(lrs.url)
    pending = unsent_ids(store, lrs.url)
    report.left = len(pending)
    batch: list[dict[str, Any]] = []
    members: list[tuple[str, int]] = []

    def send() -> None:
        lrs.post(batch)
        mark_sent(store, lrs.url, members)
        report.conversations += len(members)
        report.statements += len(batch)
        report.left -= len(members)
        batch.clear()
        members.clear()
        if progress:
            progress(report)

    try:
        for start in range(0, len(pending), 200):
            chunk = store.stored_results(pending[start:start + 200])
            for result in chunk:
                statements = xapi.statements_for(result, base_iri, pass_score)
                if batch and len(batch) + len(statements) > batch_size:
                    send()
                batch.extend(statements)
                members.append((result.id, len(statements)))
        if batch:
            send()
    except SyncError as exc:
        exc.report = report  # type: ignore[attr-defined]
        raise
    return report


__all__ = [
    "known_lrs", "Lrs", "SyncError", "SyncReport", "Credentials", "endpoint", "find_credentials", "sync",
    "unsent_count", "unsent_ids", "config_path",
]
