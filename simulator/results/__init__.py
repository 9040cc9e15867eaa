"""Results: the local store of played conversations, exports and reports.

The game and the terminal call `record_from_session(session, player, started_at, status)` (or `save_session`)
when a conversation ends, and keep one `ResultsStore.open(data_dir)` for history and best scores.
"""
from simulator.results.record import ConversationResult, RecordError, record_from_scorecard
from simulator.results.session_record import record_from_session, save_session
from simulator.results.store import ResultsStore, StoreError

__all__ = ["ConversationResult", "RecordError", "ResultsStore", "StoreError", "record_from_scorecard",
           "record_from_session", "save_session"]
