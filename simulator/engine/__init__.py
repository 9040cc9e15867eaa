"""The conversation engine: the session API every front end drives."""
