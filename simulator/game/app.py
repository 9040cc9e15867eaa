"""The game window: opens it, keeps the scene stack and runs a loop that waits on events and redraws only on change."""
from __future__ import annotations

import os
import sys
import time
import warnings
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame
import pygame.freetype

from simulator.game.look import Look
from simulator.game.settings import Settings, config_dir
from simulator.i18n import window_t as translate

if TYPE_CHECKING:
    from simulator.game.audio import Audio
    from simulator.results.store import ResultsStore
    from simulator.scenario.loader import LoadResult

DEFAULT_SIZE = (1280, 720)
MIN_SIZE = (800, 480)
IDLE_WAIT_MS = 1000        # nothing moves: sleep until an event (or this long)
ANIMATION_WAIT_MS = 25     # something animates: about 40 frames a second (a line types at most 90 letters/s)
BLINK_WAIT_MS = 500        # a text entry has the keyboard: wake when its cursor blinks on or off
# Draw this many frames, then close (the download's smoke test and `make bench` start the window this way).
EXIT_AFTER_FRAMES_ENV = "KLANTSIM_EXIT_AFTER_FRAMES"


class App:
    """The window, the settings, the player and the scene stack (title → select → conversation → debrief)."""

    def __init__(self, scenario_dirs=None, language: str | None = None, data_dir=None, size=DEFAULT_SIZE,
                 scenario_path=None, start_node: str | None = None, class_mode: bool = False,
                 mode: str | None = None):
        _declare_dpi_awareness()
        pygame.display.init()
        _plain_x11_framebuffer()
        pygame.freetype.init()
        self.data_dir = data_dir
        self.settings = Settings.load(config_dir(data_dir))
        if language in ("nl", "en"):
            self.settings.language = language
        self.mode_override = mode if mode in ("coach", "exam") else None
        self.scenario_dirs = list(scenario_dirs) if scenario_dirs else None
        self.scenario_path = scenario_path
        self.start_node = start_node
        self.class_mode = class_mode
        self.player: str | None = None
        self.notice: str = ""
        self._library: list[LoadResult] | None = None
        self._store: ResultsStore | None = None
        self._store_failed = False
        self._store_problem = ""
        self.windowed_size = tuple(size)
        pygame.display.set_caption("KlantSim")
        _set_window_icon()
        self.window = self._open_window()
        # no key repeat: a held "1" must not choose again on the next line
        self.look = Look(self.size, self.settings.text_size, self.settings.high_contrast)
        self.scenes: list = []
        self.running = True
        self.exit_code = 0
        self.dirty = True
        self.animating = False
        self.blinking = False
        self.frames = 0
        self.clock = pygame.time.Clock()
        self.overlay = None      # a modal box over the screen (a question, a file's problems): it gets the events
        self._audio: Audio | None = None

    # -- window ------------------------------------------------------------------------------------------
    def _open_window(self) -> pygame.Surface:
        if self.settings.fullscreen:
            try:
                return pygame.display.set_mode((0, 0), pygame.FULLSCREEN)
            except pygame.error:
                self.settings.fullscreen = False
        with warnings.catch_warnings():   # pygame warns when the size is not the one asked for: asked again below
            warnings.simplefilter("ignore", RuntimeWarning)
            window = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        if window.get_size() != tuple(self.windowed_size):
            # leaving full screen, X11 (drawn without OpenGL, see _plain_x11_framebuffer) can keep the full-screen
            # size for the first call; asked once more, the window gets its size back
            window = pygame.display.set_mode(self.windowed_size, pygame.RESIZABLE)
        return window

    @property
    def size(self) -> tuple[int, int]:
        return self.window.get_size()

    def toggle_fullscreen(self) -> None:
        """F11 or Alt+Enter, on every screen: full screen on or off (and remembered, like the setting)."""
        self.settings.fullscreen = not self.settings.fullscreen
        self.apply_settings(reopen=True)

    def apply_settings(self, reopen: bool = False) -> None:
        """Settings changed: reopen the window if fullscreen changed, rebuild the look, relayout the screen."""
        if reopen:
            self.window = self._open_window()
        self.settings.save()
        self.relayout()

    def relayout(self) -> None:
        self.look = Look(self.size, self.settings.text_size, self.settings.high_contrast)
        if self.scenes:
            self.scenes[-1].relayout()
        self.dirty = True

    # -- words -------------------------------------------------------------------------------------------
    @property
    def mode(self) -> str:
        """coach or exam: as asked on the command line for this run, else as in the settings."""
        return self.mode_override or self.settings.mode

    @property
    def lang(self) -> str:
        return self.settings.language

    def t(self, key: str, **fmt) -> str:
        return translate("game_" + key, self.lang, **fmt)

    # -- scenarios and results ---------------------------------------------------------------------------
    def library(self, refresh: bool = False) -> list:
        """Every scenario file (bundled, named folders and the file given on the command line), loaded."""
        if self._library is None or refresh:
            from simulator.scenario.library import BUNDLED, discover

            paths = list(self.scenario_dirs) if self.scenario_dirs else [BUNDLED]
            if self.scenario_path is not None and Path(self.scenario_path).resolve() not in \
                    [Path(p).resolve() for p in paths]:
                paths.append(self.scenario_path)
            self._library = discover(paths)
        return self._library

    def scenario_changed(self) -> None:
        """A scenario file was read again (F5 in a conversation): the list reads the files again when next shown."""
        self._library = None

    def store(self):
        """The results store, or None when it cannot be opened (the game still plays; a notice says why)."""
        if self._store is None and not self._store_failed:
            try:
                from simulator.results.store import ResultsStore

                store = ResultsStore.open(self.data_dir)
                self._store = store
                if store.notices:
                    self.notice = " ".join(store.notices)
            except Exception as exc:  # a broken or missing store must never stop play
                self._store_failed = True
                self._store_problem = str(exc)
                self.notice = self.t("store_unavailable", reason=str(exc))
        return self._store

    def best_scores(self) -> dict[tuple[str, str], int]:
        store = self.store()
        if store is None or not self.player:
            return {}
        out = {}
        try:
            for language in ("nl", "en"):
                for scenario, best in store.best_scores(self.player, language).items():
                    out[(scenario, language)] = best
        except Exception:
            return {}
        return out

    def save_result(self, session, started_at, status: str = "finished", votes=None, typed=None,
                    player: str | None = None) -> bool:
        """Keep a played conversation through the one save route the terminal uses too (results.save_session).

        When the results store cannot be opened or written, the result is kept on disk anyway
        (results.store.keep_unsaved) and the player is told where, in the window's language. True when kept.
        `player` saves under another name than the player's (a class's name in class mode)."""
        player = player or self.player
        if not player:
            return False
        try:
            from simulator.results.session_record import record_from_session

            result = record_from_session(session, player, started_at, status, votes=votes, typed=typed)
        except Exception as exc:   # an unusable field (a bad name): nothing can be kept; the notice says why
            self.notice = self.t("save_failed", reason=str(exc))
            return False
        from simulator.results.store import StoreError, keep_unsaved

        store = self.store()
        if store is not None:
            try:
                store.save(result)
                return True
            except StoreError:     # the store could not take it and kept it in its pending folder
                return self._tell_kept(result)
            except Exception as exc:   # a failed save must never end the game (nor lose the result)
                reason = str(exc)
        else:
            reason = self._store_problem or "the results database cannot be opened"
        try:
            keep_unsaved(result, self.data_dir, reason)
        except Exception as exc:   # not even the home or temp folder can be written
            self.notice = self.t("save_failed", reason=str(exc))
            return False
        return self._tell_kept(result)

    def _tell_kept(self, result) -> bool:
        """Say where keep_unsaved put a result (the data folder's pending folder, added by itself the next time the
        results open; else a file to add with `import`), as a notice and in a box the player closes with Enter."""
        import tempfile

        from simulator.resources import frozen
        from simulator.results.store import FALLBACK_DIR, PENDING_DIR, default_data_dir

        name = f"{result.id}.json"
        data = Path(self.data_dir).expanduser() if self.data_dir is not None else default_data_dir()
        pending = data / PENDING_DIR / name
        if pending.is_file():
            text = self.t("kept_pending", path=str(pending))
        else:
            kept = next((folder / FALLBACK_DIR / name for folder in (Path.home(), Path(tempfile.gettempdir()))
                         if (folder / FALLBACK_DIR / name).is_file()), None)
            if kept is None:
                self.notice = self.t("save_failed", reason=str(pending))
                return False
            command = "klantsim" if frozen() else "python main.py"
            text = self.t("kept_file", path=str(kept), command=f"{command} import {kept}")
        self.notice = text
        from simulator.game.overlays import Question

        self.ask(Question(self, self.t("kept_title"), text, [(self.t("kept_ok"), "Enter", pygame.K_RETURN,
                                                             lambda: None)]))
        return True

    @property
    def audio(self):
        """Sound cues and the customer's voice, started on first use (the title screen opens without them)."""
        if self._audio is None:
            from simulator.game.audio import Audio

            self._audio = Audio(self.settings)
        return self._audio

    # -- going between screens (no scene imports another: they ask the app) -----------------------------
    def open_select(self) -> None:
        from simulator.game.scenes.select import SelectScene

        self.push(SelectScene(self))

    def open_class_conversation(self, scenario) -> None:
        from simulator.game.scenes.classroom import ClassConversationScene

        self.push(ClassConversationScene(self, scenario))

    def open_conversation(self, scenario, resume=None) -> None:
        from simulator.game.scenes.conversation import ConversationScene

        self.push(ConversationScene(self, scenario, resume=resume))

    def replace_with_conversation(self, scenario) -> None:
        from simulator.game.scenes.conversation import ConversationScene

        self.replace(ConversationScene(self, scenario))

    def open_debrief(self, scenario, session, votes=None, from_history: bool = False, typed=None) -> None:
        """The debrief of a session: in place of the conversation, or over the history (Esc goes back to it).
        `typed`: per turn number, what the player typed (answers in their own words), shown by the choice."""
        from simulator.game.scenes.debrief import DebriefScene

        scene = DebriefScene(self, scenario, session, votes=votes, from_history=from_history, typed=typed)
        (self.push if from_history else self.replace)(scene)

    def open_history(self) -> None:
        from simulator.game.scenes.history import HistoryScene

        self.push(HistoryScene(self))

    def open_settings(self) -> None:
        from simulator.game.scenes.settings import SettingsScene

        self.push(SettingsScene(self))

    def ask(self, overlay) -> None:
        self.overlay = overlay
        self.dirty = True

    def scenario_for_play(self, scenario):
        """The scenario as it should be played: from `start_node` when one was asked for and exists."""
        if self.start_node and self.start_node in scenario.nodes and scenario.start != self.start_node:
            return replace(scenario, start=self.start_node)
        return scenario

    # -- scene stack -------------------------------------------------------------------------------------
    @property
    def scene(self):
        return self.scenes[-1] if self.scenes else None

    def push(self, scene) -> None:
        if self.scenes:
            self.scenes[-1].leave()
        self.scenes.append(scene)
        self._enter(scene)

    def pop(self) -> None:
        if self.scenes:
            self.scenes.pop().leave()
        if not self.scenes:
            self.quit()
            return
        self._enter(self.scenes[-1])

    def replace(self, scene) -> None:
        if self.scenes:
            self.scenes.pop().leave()
        self.scenes.append(scene)
        self._enter(scene)

    def pop_to(self, name: str) -> None:
        """Go back down the stack to the screen called `name` (e.g. 'select')."""
        while len(self.scenes) > 1 and self.scenes[-1].name != name:
            self.scenes.pop().leave()
        self._enter(self.scenes[-1])

    def _enter(self, scene) -> None:
        self.look.forget_texts()   # the screen left behind renders its text again when it comes back
        scene.enter()
        self.dirty = True

    def quit(self, code: int = 0) -> None:
        self.running = False
        self.exit_code = code

    # -- the loop ----------------------------------------------------------------------------------------
    def handle(self, event: pygame.event.Event) -> None:
        if event.type == pygame.QUIT:
            self.quit()
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            if self.window.get_size() != self.look.size:
                if not self.settings.fullscreen:
                    w, h = self.window.get_size()
                    if w < MIN_SIZE[0] or h < MIN_SIZE[1]:
                        self.window = pygame.display.set_mode((max(w, MIN_SIZE[0]), max(h, MIN_SIZE[1])),
                                                              pygame.RESIZABLE)
                    self.windowed_size = self.window.get_size()
                self.relayout()
            return
        if event.type in (pygame.WINDOWEXPOSED, pygame.WINDOWSHOWN, pygame.WINDOWRESTORED):
            self.dirty = True
            return
        if event.type == pygame.KEYDOWN and (event.key == pygame.K_F11 or (
                event.key in (pygame.K_RETURN, pygame.K_KP_ENTER) and event.mod & pygame.KMOD_ALT)):
            self.toggle_fullscreen()
            return
        if self.overlay is not None:
            if event.type in (pygame.KEYDOWN, pygame.MOUSEBUTTONDOWN, pygame.MOUSEMOTION, pygame.TEXTINPUT):
                self.overlay.handle(event)
                self.dirty = True
            return
        scene = self.scene
        if scene is None:
            return
        if event.type == pygame.MOUSEBUTTONDOWN and scene.keybar.handle(event):
            self.dirty = True
            return
        if event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE:
            scene.back()
        else:
            scene.handle(event)
        if event.type not in (pygame.ACTIVEEVENT, pygame.WINDOWMOVED, pygame.AUDIODEVICEADDED):
            self.dirty = True

    def step(self, wait_ms: int | None = None) -> None:
        """One turn of the loop: wait for events (or the animation tick), handle them, redraw if needed."""
        if wait_ms is None:
            if self.animating:   # a screen may ask for fewer frames (typing text needs no 40 a second)
                wait_ms = getattr(self.scene, "frame_ms", ANIMATION_WAIT_MS)
            elif self.blinking:   # wake when the cursor turns on or off, not more often
                wait_ms = max(10, BLINK_WAIT_MS - int(time.monotonic() * 1000) % BLINK_WAIT_MS)
            else:
                wait_ms = IDLE_WAIT_MS
        first = pygame.event.wait(wait_ms) if wait_ms > 0 else pygame.event.poll()
        events = [] if first.type == pygame.NOEVENT else [first]
        events += pygame.event.get()
        for event in events:
            self.handle(event)
            if not self.running:
                return
        dt = min(self.clock.tick() / 1000.0, 0.1)
        scene = self.scene
        if scene is None:
            return
        self.animating = scene.update(dt)
        self.blinking = scene.blinking
        if self.dirty:
            self.draw()
        elif self.animating or self.blinking:
            if getattr(scene, "partial_redraw", False) and self.overlay is None:
                # only what moves (the typed line, the cursor): a whole-screen redraw costs far more CPU
                rects = scene.draw_partial(self.window)
                if rects:   # nothing changed (no new letter yet): no update at all, it costs a round trip to X
                    pygame.display.update(rects)
                    self.frames += 1
            else:
                self.draw()

    def draw(self) -> None:
        surface = self.window
        look = self.look
        look.begin_frame()
        surface.fill(look.color("background"))
        self.scene.draw(surface)
        if self.scene is not None and hasattr(self.scene, "draw_over"):
            self.scene.draw_over(surface)
        if self.overlay is not None:
            self.overlay.draw(surface)
        look.end_frame()
        pygame.display.flip()
        self.dirty = False
        self.frames += 1

    def run(self) -> int:
        stop_after = _frames_to_draw()
        while self.running:
            self.step()
            if stop_after and self.frames >= stop_after:
                print(f"klantsim: {self.frames} frame(s) drawn, closing ({EXIT_AFTER_FRAMES_ENV})", flush=True)
                self.quit()
        self.close()
        return self.exit_code

    def close(self) -> None:
        while self.scenes:
            self.scenes.pop().leave()
        if self._audio is not None:
            self._audio.close()
        if self._store is not None:
            try:
                self._store.close()
            except Exception:
                pass
        self.settings.save()

    def start(self) -> App:
        """Put the first screen up: the title (the chosen scenario, when one was given, follows the name). In class
        mode there is no personal profile: straight to the scenario choice, playing as the class."""
        if self.class_mode:
            self.player = self.t("class_name")
            self.open_select()
            if self.scenario_path is not None:
                self.scene.play_path(self.scenario_path)
            return self
        from simulator.game.scenes.title import TitleScene

        self.push(TitleScene(self))
        return self


def run(scenario_path=None, language: str | None = "nl", data_dir=None, start_node: str | None = None,
        class_mode: bool = False, mode: str | None = None) -> int:
    """Open the game window and play until it is closed; returns the exit code.

    `language` (nl/en) is used and remembered; pass None to keep the player's own choice from the settings.
    `mode` (coach/exam) holds for this run only. `data_dir` keeps settings and results there instead of the
    user folders."""
    path = None
    if scenario_path is not None:
        from simulator.scenario.library import ScenarioNotFound, resolve

        try:
            path = resolve(str(scenario_path), language or "nl").path
        except ScenarioNotFound as exc:
            print(f"klantsim: {exc}", file=sys.stderr)
            return 1
    try:
        app = App(language=language, data_dir=data_dir, scenario_path=path, start_node=start_node,
                  class_mode=class_mode, mode=mode)
    except pygame.error as exc:
        print(f"klantsim: cannot open a window ({exc}); play in the terminal with: python main.py play --text",
              file=sys.stderr)
        return 1
    try:
        app.start()
        return app.run()
    except KeyboardInterrupt:
        app.close()
        return 130
    except Exception as exc:  # a bug: one clear line for the player, the details in a file for us
        log = _write_crash_log(app)
        print(f"klantsim: the game stopped because of an error ({type(exc).__name__}: {exc}); "
              f"details are in {log}", file=sys.stderr)
        return 1
    finally:
        pygame.quit()


def _frames_to_draw() -> int:
    try:
        return max(0, int(os.environ.get(EXIT_AFTER_FRAMES_ENV, "0")))
    except ValueError:
        return 0


def _declare_dpi_awareness() -> None:
    """Windows: draw at the screen's real resolution. Without this, Windows scales the window of a program that
    does not declare itself DPI-aware (at 150 %, text turns blurry). Must happen before the window opens."""
    if sys.platform != "win32":
        return
    import ctypes

    try:
        ctypes.windll.shcore.SetProcessDpiAwareness(2)  # per monitor (Windows 8.1 and later)
    except (AttributeError, OSError):
        try:
            ctypes.windll.user32.SetProcessDPIAware()  # whole system (older Windows)
        except (AttributeError, OSError):
            pass


def _plain_x11_framebuffer() -> None:
    """X11: show the window's pixels through the X server's own shared-memory images, not through OpenGL. SDL's
    default on X11 keeps the window in a texture and draws all of it again on every update, even when a few letters
    changed: without a graphics card (a virtual machine, a remote desktop, Xvfb) Mesa does that on the processor, some
    3 ms per update, and loading OpenGL adds about 90 MB to the process. The game draws in software and updates only
    what changed, which the X server's path does in hundredths of a millisecond. Set after the video system starts
    (the driver is known then) and before the window opens (SDL reads it when it makes the window's surface); a
    value the user set (SDL_FRAMEBUFFER_ACCELERATION) is kept. Other drivers (Windows, macOS, Wayland) keep SDL's
    choice."""
    if pygame.display.get_driver() == "x11":
        os.environ.setdefault("SDL_FRAMEBUFFER_ACCELERATION", "0")


def _set_window_icon() -> None:
    """The icon in the title bar and task bar (the .exe's own icon comes from klantsim.spec): 64 px, as a BMP with alpha
    that SDL reads itself (a 256 px PNG loaded SDL_image and libpng for it and kept 0.8 MB more of the window's
    memory; title and task bars show 16 to 64 px). tools/make_icon.py draws it with the others."""
    from simulator.resources import resource

    try:
        pygame.display.set_icon(pygame.image.load_basic(str(resource("assets", "window-icon.bmp"))))
    except (pygame.error, FileNotFoundError):
        pass  # a missing icon costs the icon, never the game


def _write_crash_log(app: App) -> Path | str:
    import traceback

    try:
        folder = config_dir(app.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "crash.log"
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')}\n{traceback.format_exc()}\n")
        return path
    except OSError:
        return "(no log: the settings folder cannot be written)"
