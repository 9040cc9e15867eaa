"""The game window (pygame-ce, drawn with its own widgets): title, scenario choice, conversation, debrief and
settings."""
