"""Results: the local store of played conversations, exports and reports."""
