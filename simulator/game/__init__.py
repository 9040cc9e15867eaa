"""The game window (pygame-ce + pygame_gui): title, scenario choice, conversation, debrief and settings."""
