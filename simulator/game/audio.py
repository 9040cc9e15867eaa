"""Short quiet sound cues (generated, no files) and the customer's line spoken offline by pyttsx3 in a worker
thread, so that neither ever holds up the window. Without a sound device or a speech engine the game plays
silently and the settings screen says why."""
from __future__ import annotations

import array
import contextlib
import io
import math
import os
import queue
import sys
import tempfile
import threading

SAMPLE_RATE = 22050
# cue -> (frequencies played one after the other, seconds each): rising for a step earned, falling for a rule
CUES = {"step": ((660, 880), 0.07), "rule": ((330, 247), 0.09), "choice": ((520,), 0.035)}


def tone(frequencies, seconds: float, volume: float = 0.35) -> bytes:
    """16-bit mono samples of the notes in turn, each with a soft start and end (no clicks)."""
    samples = array.array("h")
    n = int(SAMPLE_RATE * seconds)
    fade = max(1, n // 6)
    for f in frequencies:
        for i in range(n):
            env = min(1.0, i / fade, (n - i) / fade)
            samples.append(int(32767 * volume * env * math.sin(2 * math.pi * f * i / SAMPLE_RATE)))
    return samples.tobytes()


def pick_voice(voices, language: str):
    """The first installed voice for `language` (nl/en), matched on its languages, id or name; None if none."""
    names = {"nl": ("nl", "dutch", "nederlands"), "en": ("en", "english")}[language]

    def langs(v):
        out = []
        for entry in getattr(v, "languages", None) or []:
            if isinstance(entry, bytes):
                entry = entry.decode("ascii", "ignore").lstrip("\x05")
            out.append(str(entry).lower())
        return out

    for v in voices:
        if any(lang == names[0] or lang.startswith(names[0] + "-") or lang.startswith(names[0] + "_")
               for lang in langs(v)):
            return v
    for v in voices:
        ident = f"{getattr(v, 'id', '')} {getattr(v, 'name', '')}".lower().replace("\\", "/")
        if any(f"/{n}" in ident or ident.endswith(n) or f" {n}" in ident for n in names):
            return v
    return None


def speech_engine():
    """A pyttsx3 engine, or (None, why) when pyttsx3 or a speech engine (SAPI5, NSSpeech, espeak-ng) is missing."""
    try:
        import pyttsx3
    except ImportError:
        return None, "pyttsx3"
    try:
        return pyttsx3.init(), ""
    except Exception as exc:   # no SAPI5/NSSpeech/espeak-ng on this machine: play silently
        return None, str(exc) or type(exc).__name__


def _save(engine, voices, text: str, language: str, path: str) -> None:
    voice = pick_voice(voices, language)
    if voice is not None:
        engine.setProperty("voice", voice.id)
    engine.setProperty("rate", 165)
    with contextlib.redirect_stdout(io.StringIO()):   # pyttsx3's espeak driver prints "Audio saved to …"
        engine.save_to_file(text, str(path))
        engine.runAndWait()


def render_line(text: str, language: str, path: str) -> bool:
    """Speak `text` into a WAV file with the same engine, voice choice and code as the game (tests, authors)."""
    engine, _ = speech_engine()
    if engine is None:
        return False
    _save(engine, engine.getProperty("voices"), text, language, path)
    return True


class Voice:
    """Speaks lines in a worker thread: `say` only queues; a new line cuts off the one still being spoken."""

    def __init__(self, play_wav=None):
        self.play_wav = play_wav if sys.platform.startswith("linux") else None
        self.folder = tempfile.mkdtemp(prefix="klantsim-voice-")
        self.lines: queue.Queue = queue.Queue()
        self.ready = threading.Event()
        self.available: bool | None = None
        self.problem = ""
        self.thread = threading.Thread(target=self._run, name="klantsim-voice", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        engine, self.problem = speech_engine()
        self.available = engine is not None
        self.ready.set()
        if engine is None:
            return
        voices = engine.getProperty("voices")
        while True:
            item = self.lines.get()
            if item is None:
                return
            while not self.lines.empty():   # only the newest line is worth saying
                item = self.lines.get()
                if item is None:
                    return
            text, language = item
            try:
                if self.play_wav is not None:
                    # espeak-ng (Linux): render to a WAV file and play it through the game's own audio, since
                    # pyttsx3 would shell out to `aplay`, which many machines lack
                    path = os.path.join(self.folder, "line.wav")
                    _save(engine, voices, text, language, path)
                    self.play_wav(path)
                else:   # SAPI5, NSSpeech: the engine speaks itself
                    voice = pick_voice(voices, language)
                    if voice is not None:
                        engine.setProperty("voice", voice.id)
                    engine.say(text)
                    engine.runAndWait()
            except Exception:   # a speech engine that fails halfway must not stop the game
                self.available = False
                return

    def say(self, text: str, language: str) -> None:
        if text.strip() and self.available is not False:
            self.lines.put((text, language))

    def close(self) -> None:
        self.lines.put(None)


def voice_available(timeout: float = 3.0) -> tuple[bool, str]:
    """Whether the customer's line can be spoken here (and, if not, why); checked once in a worker thread."""
    global _CHECK
    if _CHECK is None:
        box: dict = {}

        def check():
            engine, why = speech_engine()
            box["result"] = (engine is not None, why)

        t = threading.Thread(target=check, daemon=True)
        t.start()
        t.join(timeout)
        _CHECK = box.get("result", (False, "timeout"))
    return _CHECK


_CHECK: tuple[bool, str] | None = None


class Audio:
    """The game's sounds: cues at the volume of the settings (0 = mute) and, when switched on, the voice."""

    def __init__(self, settings):
        self.settings = settings
        self.sounds: dict = {}
        self.mixer_ok: bool | None = None
        self.voice: Voice | None = None
        self.voice_channel = None

    def _mixer(self) -> bool:
        if self.mixer_ok is None:
            import pygame

            try:
                if not pygame.mixer.get_init():
                    pygame.mixer.init(SAMPLE_RATE, -16, 1, 512)
                self.sounds = {name: pygame.mixer.Sound(buffer=tone(freqs, seconds))
                               for name, (freqs, seconds) in CUES.items()}
                self.mixer_ok = True
            except Exception:   # no sound device: the game is silent, not broken
                self.mixer_ok = False
        return self.mixer_ok

    def cue(self, name: str) -> bool:
        """Play a cue ('step', 'rule', 'choice'); False when muted or there is no sound device."""
        volume = self.settings.sound_volume / 100
        if volume <= 0 or not self._mixer():
            return False
        sound = self.sounds[name]
        sound.set_volume(volume)
        sound.play()
        return True

    def speak(self, text: str, language: str) -> bool:
        if not self.settings.voice:
            return False
        if self.voice is None:
            self.voice = Voice(self.play_wav)
        self.voice.say(text, language)
        return True

    def play_wav(self, path: str) -> None:
        """Play a spoken line (from the voice's thread), cutting off the one before."""
        if not self._mixer():
            return
        import pygame

        sound = pygame.mixer.Sound(path)
        if self.voice_channel is None:
            self.voice_channel = pygame.mixer.find_channel(True)
        self.voice_channel.play(sound)

    def close(self) -> None:
        if self.voice is not None:
            self.voice.close()
