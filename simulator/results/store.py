"""The results store: one SQLite file that keeps every played conversation and never loses one."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, UTC
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterable, Iterator

from simulator.results.record import ConversationResult, RecordError, utc_timestamp

DATABASE_NAME = "results.sqlite3"
DATA_ENV = "KLANTSIM_DATA"  # a folder; same effect as --data
PENDING_DIR = "pending-results"
BUSY_TIMEOUT_MS = 15_000
CHECKED_SUFFIX = ".checked"  # beside the database: which KlantSim last checked it whole (see _needs_check)

# Each migration takes the schema from version N to N+1; user_version records how far a file has come.
# Never edit a migration that has shipped: add a new one.
MIGRATIONS: list[str] = [
    # 0 -> 1: the conversations, one row each; path and scorecard kept whole as JSON.
    """
    CREATE TABLE conversations (
        id               TEXT PRIMARY KEY,
        player           TEXT NOT NULL,
        scenario         TEXT NOT NULL,
        title            TEXT NOT NULL DEFAULT '',
        language         TEXT NOT NULL,
        scenario_version TEXT NOT NULL,
        started_at       TEXT NOT NULL,
        finished_at      TEXT NOT NULL,
        status           TEXT NOT NULL CHECK (status IN ('finished', 'abandoned')),
        ending           TEXT,
        score            INTEGER,
        path_json        TEXT NOT NULL,
        scorecard_json   TEXT NOT NULL,
        votes_json       TEXT,
        saved_at         TEXT NOT NULL
    );
    CREATE INDEX conversations_player ON conversations (player, finished_at);
    CREATE INDEX conversations_scenario ON conversations (scenario, language);
    CREATE INDEX conversations_finished ON conversations (finished_at);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# SQLite's primary result codes that mean "this file is damaged or not a database at all".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class StoreError(Exception):
    """The store cannot be used (e.g. the folder is not writable); the message says what to do."""


@dataclass
class MovedAside:
    """A database file that could not be used and was renamed instead of overwritten."""

    original: Path
    moved_to: Path
    reason: str
    recovered: int = 0  # results that could still be read from it and were copied into the fresh database

    def message(self) -> str:
        text = (f"results database {self.original} {self.reason}; it was moved aside to {self.moved_to} "
                f"(nothing deleted) and a fresh database was started")
        if self.recovered:
            text += f"; {self.recovered} result(s) could still be read from it and were copied into the fresh one"
        return text


def default_data_dir() -> Path:
    """Where results live: $KLANTSIM_DATA, else the user data folder of this OS (platformdirs)."""
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("klantsim", appauthor=False))


@lru_cache(maxsize=1)
def _program_version() -> str:
    # simulator.__version__, not importlib.metadata: that reads every installed package's metadata (some 2 MB of
    # memory in the game's process) on each open of an existing database, for the same number.
    from simulator import __version__

    return __version__


def _check_stamp(path: Path) -> str:
    """This KlantSim's versions and the file's size and modification time, as a clean close leaves them."""
    info = path.stat()
    return f"schema {SCHEMA_VERSION}; klantsim {_program_version()}; {info.st_size} bytes; {info.st_mtime_ns}"


def _write_stamp(path: Path) -> None:
    marker = path.with_name(path.name + CHECKED_SUFFIX)
    try:
        stamp = _check_stamp(path)
        temporary = marker.with_name(f".{marker.name}.{os.getpid()}")
        temporary.write_text(stamp + "\n", encoding="utf-8")
        os.replace(temporary, marker)
    except OSError:
        pass  # without the stamp the next open checks again: slower, never wrong


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


class _Damaged(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ResultsStore:
    """The SQLite results database. Open with `ResultsStore.open(data_dir)`; close it (or use `with`)."""

    def __init__(self, path: Path, connection: sqlite3.Connection, moved_aside: list[MovedAside]):
        self.path = path
        self._db = connection
        self.moved_aside = moved_aside
        self._pending_notices: list[str] = []

    # ----------------------------------------------------------------------------------------------- opening
    @classmethod
    def open(cls, data_dir: str | os.PathLike | None = None) -> ResultsStore:
        """Open (or create) the database in `data_dir` (default: see default_data_dir). A damaged database or one
        written by a newer KlantSim is renamed aside, never overwritten; see `.notices`."""
        folder = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the results folder {folder}: {exc.strerror or exc}; "
                             f"choose another with --data DIR") from None
        path = folder / DATABASE_NAME
        moved: list[MovedAside] = []
        for _attempt in range(3):
            try:
                store = cls(path, cls._connect(path), moved)
                break
            except _Damaged as damage:
                aside = _move_aside(path, damage.reason)
                if aside is not None:  # else another process moved it a moment ago
                    moved.append(aside)
        else:  # pragma: no cover - three damaged files in a row
            raise StoreError(f"cannot start a results database in {folder}")
        for aside in moved:
            if aside.moved_to.name.startswith(f"{DATABASE_NAME}.damaged-"):
                aside.recovered = store._salvage(aside.moved_to)
        store._add_pending()
        return store

    @staticmethod
    def _needs_check(path: Path) -> bool:
        """Whether to run PRAGMA quick_check (which reads the whole file) on this open: the first time this version
        of KlantSim opens the file, and whenever the file is not as the last clean close left it (a crash, another
        program, a damaged disk). A -wal file beside it also means a connection did not close cleanly (or another
        program has it open now: checking then costs time, nothing else)."""
        marker = path.with_name(path.name + CHECKED_SUFFIX)
        try:
            if marker.read_text(encoding="utf-8").strip() != _check_stamp(path):
                return True
        except OSError:
            return True
        return path.with_name(path.name + "-wal").exists()

    @staticmethod
    def _create(path: Path) -> None:
        """A new database is built under a temporary name and moved into place whole, so no other process ever
        sees a half-made (0-byte) file, which it would take for a damaged one."""
        temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
        try:
            db = sqlite3.connect(temporary, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode = WAL")
                _migrate(db)
            finally:
                db.close()
            try:
                os.link(temporary, path)  # never replaces a database another process created a moment ago
            except FileExistsError:
                pass
            except OSError:
                if not path.exists():
                    os.replace(temporary, path)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot create the results database {path}: {getattr(exc, 'strerror', None) or exc}; "
                             f"check the folder's permissions or choose another with --data DIR") from None
        finally:
            for leftover in (temporary, temporary.with_name(temporary.name + "-wal"),
                             temporary.with_name(temporary.name + "-shm")):
                try:
                    leftover.unlink()
                except OSError:
                    pass

    @staticmethod
    def _connect(path: Path) -> sqlite3.Connection:
        if not path.exists():
            ResultsStore._create(path)
        try:
            if path.stat().st_size == 0:
                raise _Damaged("is empty (0 bytes)")
        except FileNotFoundError:
            ResultsStore._create(path)
        check_first = ResultsStore._needs_check(path)
        try:
            db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot open the results database {path}: {exc}; "
                             f"check the folder's permissions or choose another with --data DIR") from None
        try:
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _Damaged(f"was written by a newer KlantSim (schema version {version}; this one knows up to "
                               f"{SCHEMA_VERSION})")
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if (version == 0 and tables) or (version > 0 and "conversations" not in tables):
                raise _Damaged("is not a KlantSim results database (it holds other tables)")
            if check_first:
                check = db.execute("PRAGMA quick_check").fetchone()[0]
                if check != "ok":
                    raise _Damaged(f"is damaged ({check})")
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
                db.close()
                raise StoreError(f"the results database {path} cannot use write-ahead logging; "
                                 f"choose a local folder with --data DIR")
            # FULL: a commit survives a killed process and a power cut alike; the cost is tiny for one row.
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            _migrate(db)
            return db
        except _Damaged:
            db.close()
            raise
        except sqlite3.DatabaseError as exc:
            db.close()
            if _is_damage(exc):
                raise _Damaged(f"is damaged or not a database ({exc})") from None
            raise StoreError(f"cannot use the results database {path}: {exc}") from None

    @property
    def notices(self) -> list[str]:
        """Messages the user must see (one line each), e.g. that a damaged database was moved aside."""
        return [moved.message() for moved in self.moved_aside] + self._pending_notices

    @property
    def pending_dir(self) -> Path:
        """Where a result waits when the database cannot take it (e.g. locked too long by another program)."""
        return self.path.parent / PENDING_DIR

    def _salvage(self, damaged: Path) -> int:
        """Copy every result that can still be read from a damaged file (read from a copy, so the file moved
        aside stays exactly as it was). Reads forwards and backwards, so one bad page loses only its own rows."""
        found: dict[str, ConversationResult] = {}
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "salvage.sqlite3"
            try:
                shutil.copyfile(damaged, copy)
                wal = damaged.with_name(damaged.name + "-wal")
                if wal.exists():
                    shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
            except OSError:
                return 0
            for order in ("ASC", "DESC"):
                try:
                    db = sqlite3.connect(copy)
                except sqlite3.Error:
                    break
                try:
                    cursor = db.execute(f"{_SELECT} ORDER BY rowid {order}")
                    while True:
                        row = cursor.fetchone()
                        if row is None:
                            break
                        try:
                            result = _result(row).checked()
                        except (ValueError, TypeError, AttributeError):
                            continue  # a row whose JSON or fields were damaged
                        found.setdefault(result.id, result)
                except sqlite3.Error:
                    pass  # reading stops at the damage; the other direction reads past it
                finally:
                    db.close()
        return self.save_many(found.values())[0] if found else 0

    def _add_pending(self) -> None:
        """Add results that were parked in the pending folder; a file is removed only once its result is in."""
        self._pending_notices = []
        if not self.pending_dir.is_dir():
            return
        for parked in sorted(self.pending_dir.glob("*.json")):
            try:
                result = ConversationResult.from_dict(json.loads(parked.read_text(encoding="utf-8")))
                self.save_many([result])
                parked.unlink()
            except (OSError, ValueError) as exc:
                self._pending_notices.append(f"waiting result {parked} could not be added ({exc}); it was left "
                                             f"where it is")
            except sqlite3.Error:
                return  # the database is still busy: try again next time

    def close(self) -> None:
        self._db.close()
        # A clean close leaves no -wal file; record how the file looks now, so the next open can skip quick_check.
        if not self.path.with_name(self.path.name + "-wal").exists():
            _write_stamp(self.path)

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._db.execute("PRAGMA user_version").fetchone()[0]

    # ----------------------------------------------------------------------------------------------- writing
    def save(self, result: ConversationResult) -> bool:
        """Store one result in its own transaction; True when it was new, False when its id was already there.

        When the database cannot take it (locked too long by another program, disk I/O error), the result is
        written to the pending folder instead, added the next time the store opens, and StoreError says so."""
        result.checked()
        try:
            return self.save_many([result])[0] == 1
        except sqlite3.Error as exc:
            raise StoreError(keep_unsaved(result, self.path.parent, f"the results database could not take it now: "
                                                                     f"{exc}")) from None

    def save_many(self, results: Iterable[ConversationResult]) -> tuple[int, int]:
        """Store results in one transaction; returns (added, already present). Duplicates (same id) are skipped."""
        rows = [_row(result.checked()) for result in results]
        added = 0
        with self._transaction():
            for row in rows:
                cursor = self._db.execute(
                    "INSERT OR IGNORE INTO conversations (id, player, scenario, title, language, scenario_version,"
                    " started_at, finished_at, status, ending, score, path_json, scorecard_json, votes_json,"
                    " saved_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
                added += cursor.rowcount
        return added, len(rows) - added

    def _transaction(self):
        return _Transaction(self._db)

    # ----------------------------------------------------------------------------------------------- reading
    def stored_copies(self, ids: Iterable[str]) -> dict[str, dict]:
        """id -> stored JSON form, for those of `ids` that are stored."""
        wanted, found = list(ids), {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for row in self._db.execute(f"{_SELECT} WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                found[row[0]] = _result(row).to_dict()
        return found

    def stored_results(self, ids: list[str]) -> list[ConversationResult]:
        """The results with these ids, in the order of `ids` (those not stored are left out)."""
        found: dict[str, ConversationResult] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self._db.execute(f"{_SELECT} WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                found[row[0]] = _result(row)
        return [found[i] for i in ids if i in found]

    def get(self, result_id: str) -> ConversationResult | None:
        rows = self._select("WHERE id = ?", (result_id,))
        return rows[0] if rows else None

    def results(self, players: Iterable[str] | None = None, since: datetime | str | None = None,
                scenario: str | None = None) -> list[ConversationResult]:
        """Results, oldest first, optionally only of these players, finished at or after `since`, of a scenario."""
        return list(self.iter_results(players, since, scenario))

    def iter_results(self, players: Iterable[str] | None = None, since: datetime | str | None = None,
                     scenario: str | None = None) -> Iterator[ConversationResult]:
        """As `results`, one at a time straight from the database: memory stays flat however many there are."""
        where, params = self._filter(players, since, scenario)
        cursor = self._db.execute(f"{_SELECT} {where} ORDER BY finished_at, id", params)
        while True:
            rows = cursor.fetchmany(500)
            if not rows:
                return
            for row in rows:
                yield _result(row)

    def count_results(self, players: Iterable[str] | None = None, since: datetime | str | None = None,
                      scenario: str | None = None) -> int:
        where, params = self._filter(players, since, scenario)
        return self._db.execute(f"SELECT COUNT(*) FROM conversations {where}", params).fetchone()[0]

    @staticmethod
    def _filter(players, since, scenario) -> tuple[str, tuple]:
        clauses, params = [], []
        if players is not None:
            names = list(players)
            clauses.append(f"player IN ({', '.join('?' * len(names))})" if names else "0")
            params.extend(names)
        if since is not None:
            clauses.append("finished_at >= ?")
            params.append(utc_timestamp(since))
        if scenario is not None:
            clauses.append("scenario = ?")
            params.append(scenario)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, tuple(params)

    def history(self, player: str) -> list[ConversationResult]:
        """One player's conversations, newest first."""
        return list(reversed(self.results(players=[player])))

    def summaries(self, player: str | None = None) -> Iterator[tuple[str, str, str, int | None, str | None, str]]:
        """(player, finished_at, scenario, score, ending, status) per conversation, newest first, read from columns
        (no JSON is parsed): what `history` lists."""
        sql = "SELECT player, finished_at, scenario, score, ending, status FROM conversations"
        params: tuple = ()
        if player is not None:
            sql += " WHERE player = ?"
            params = (player,)
        yield from self._db.execute(sql + " ORDER BY player COLLATE NOCASE, player, finished_at DESC, id DESC", params)

    def best_scores(self, player: str, language: str | None = None) -> dict[str, int]:
        """Scenario id -> the player's best score over finished conversations (abandoned ones do not count)."""
        sql = ("SELECT scenario, MAX(score) FROM conversations WHERE player = ? AND status = 'finished'"
               " AND score IS NOT NULL")
        params: list = [player]
        if language is not None:
            sql += " AND language = ?"
            params.append(language)
        return {scenario: best for scenario, best in self._db.execute(sql + " GROUP BY scenario", params)}

    def players(self) -> list[str]:
        return [name for (name,) in self._db.execute(
            "SELECT DISTINCT player FROM conversations ORDER BY player COLLATE NOCASE")]

    def count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0]

    def _select(self, where: str, params: tuple) -> list[ConversationResult]:
        return [_result(row) for row in self._db.execute(f"{_SELECT} {where} ORDER BY finished_at, id", params)]


_SELECT = ("SELECT id, player, scenario, title, language, scenario_version, started_at, finished_at, status,"
           " path_json, scorecard_json, votes_json FROM conversations")


def _result(row: tuple) -> ConversationResult:
    return ConversationResult(id=row[0], player=row[1], scenario=row[2], title=row[3], language=row[4],
                              scenario_version=row[5], started_at=row[6], finished_at=row[7], status=row[8],
                              path=json.loads(row[9]), scorecard=json.loads(row[10]),
                              votes=json.loads(row[11]) if row[11] is not None else None)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT: takes the write lock up front, so two processes queue instead of failing."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self):
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self._db.execute("COMMIT")
        else:
            self._db.execute("ROLLBACK")
        return False


def _row(result: ConversationResult) -> tuple:
    return (result.id, result.player, result.scenario, result.title, result.language, result.scenario_version,
            result.started_at, result.finished_at, result.status, result.ending, result.score,
            json.dumps(result.path, ensure_ascii=False), json.dumps(result.scorecard, ensure_ascii=False),
            json.dumps(result.votes) if result.votes is not None else None, utc_timestamp())


def _migrate(db: sqlite3.Connection) -> None:
    if db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return
    with _Transaction(db):
        # Read again under the write lock: another process may have migrated while we waited.
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    db.execute(statement)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _move_aside(path: Path, reason: str) -> MovedAside | None:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    base = f"{path.name}.{'newer' if 'newer' in reason else 'damaged'}-{stamp}"
    target, counter = path.with_name(base), 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{base}-{counter}")
    if not path.exists():
        return None
    try:
        try:
            os.replace(path, target)
        except FileNotFoundError:
            return None
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, target.with_name(target.name + suffix))
    except OSError as exc:
        raise StoreError(f"results database {path} {reason}, and it could not be moved aside ({exc}); "
                         f"move it yourself or choose another folder with --data DIR") from None
    return MovedAside(path, target, reason)


FALLBACK_DIR = "klantsim-pending-results"  # in the home folder, else the temp folder, when the data folder fails


def _write_json_file(folder: Path, name: str, data) -> Path:
    """Write JSON to folder/name whole (temporary file, fsync, rename); no temporary file is left behind."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        try:
            temporary.unlink()
        except OSError:
            pass
    return target


def keep_unsaved(result: ConversationResult, data_dir: str | os.PathLike | None, reason: str) -> str:
    """Keep a result the database cannot take, so it is never lost; return one line saying where it went.

    First the data folder's pending-results/ (added automatically the next time the store opens); when that cannot
    be written either, ~/klantsim-pending-results/ or, failing that, the same folder in the temp folder, as an export
    file to add with `import`. Raises StoreError only when none of these can be written."""
    folder = (Path(data_dir).expanduser() if data_dir is not None else default_data_dir()) / PENDING_DIR
    try:
        kept = _write_json_file(folder, f"{result.id}.json", result.to_dict())
        return (f"the result was not stored in the database ({reason}); it was kept in {kept} and will be added "
                f"the next time the results are opened")
    except OSError as first:
        problems = [f"{folder}: {first.strerror or first}"]
    from simulator.results.export import EXPORT_FORMAT, EXPORT_VERSION

    document = {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "results": [result.to_dict()]}
    for base in (Path.home(), Path(tempfile.gettempdir())):
        try:
            kept = _write_json_file(base / FALLBACK_DIR, f"{result.id}.json", document)
        except (OSError, RuntimeError) as exc:
            problems.append(f"{base / FALLBACK_DIR}: {getattr(exc, 'strerror', None) or exc}")
            continue
        from simulator.resources import frozen

        command = "klantsim" if frozen() else "python main.py"
        return (f"the result was not stored in the database ({reason}) and {folder} cannot be written; it was kept "
                f"in {kept}: add it with {command} import {kept}")
    raise StoreError(f"the result could not be kept anywhere ({reason}; {'; '.join(problems)})")


def sqlite_problem(exc: sqlite3.Error, path: Path | str) -> str:
    """One line a user can act on for an error from SQLite while using the results database at `path`."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return (f"the results database {path} is busy (another KlantSim is writing to it); "
                f"close the other program or try again in a moment")
    if "readonly" in text or "read-only" in text or "read only" in text:
        return (f"the results database {path} is read-only; check the permissions of the file and its folder, "
                f"or choose another folder with --data DIR")
    if "disk" in text or "full" in text or "i/o" in text:
        return f"the results database {path} cannot be written ({exc}); free disk space or choose --data DIR"
    return f"the results database {path} cannot be used ({exc})"


def stored_copies(data_dir: str | os.PathLike | None, ids: Iterable[str]) -> dict[str, dict]:
    """The stored form of those of `ids` already in the database, read without writing anything (no database is
    created, nothing is migrated): what `import --dry-run` compares against."""
    folder = Path(data_dir).expanduser() if data_dir is not None else default_data_dir()
    path = folder / DATABASE_NAME
    if not path.is_file():
        return {}
    wanted = list(ids)
    found: dict[str, dict] = {}
    # Without a -wal file everything is in the main file and nobody has it open: read it as immutable, so SQLite
    # creates no -wal/-shm beside it either. With one, read-only mode (it needs the shared memory of the others).
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(sqlite_problem(exc, path)) from None
    try:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            for row in db.execute(f"{_SELECT} WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                found[row[0]] = _result(row).to_dict()
    except sqlite3.Error as exc:
        raise StoreError(sqlite_problem(exc, path)) from None
    finally:
        db.close()
    return found


def print_notices(store: ResultsStore, stream=None) -> None:
    """Show the store's notices on stderr (for the command line)."""
    for notice in store.notices:
        print(f"warning: {notice}", file=stream or sys.stderr)


__all__ = [
    "ResultsStore", "StoreError", "keep_unsaved", "MovedAside", "RecordError", "default_data_dir",
    "SCHEMA_VERSION", "print_notices", "sqlite_problem", "stored_copies",
]
