"""Terminal play in your own words (`play --text --free`): the player types an answer, the game says which step or
mistake it heard and goes on along the matching choice; when unsure it asks "Bedoelde je…?" with the two closest."""
from __future__ import annotations

import sys
from typing import TextIO
from collections.abc import Callable

from simulator.i18n import t
from simulator.recognition import Answered, FreePlay, RecognitionError
from simulator.scoring.rubric import load_rubric
from simulator.text_ui import _Out, print_debrief, quit_or_undo, read_line, show_node


def _read(prompt: str, read: Callable[[str], str], out: _Out) -> str | None:
    try:
        return read(prompt).strip()
    except EOFError:
        print(file=out.stream)
        return None


def heard_label(act: str, language: str) -> str:
    label = load_rubric().label(act, language)
    return label[:1].lower() + label[1:] if language == "nl" else label.lower()


def play(free: FreePlay, language: str = "nl", exam: bool = False, read: Callable[[str], str] = read_line,
         stream: TextIO = sys.stdout) -> str:
    """Play until the conversation ends ('finished') or the player quits ('abandoned')."""
    out = _Out(stream)
    session = free.session
    out.line(t("free_intro", language))
    while not session.finished:
        show_node(session, out, language)
        answer = _read(t("prompt_free", language), read, out)
        while True:
            command = quit_or_undo(answer, free.undo, exam, out, language)
            if command == "quit":
                return "abandoned"
            if command == "undo":
                break
            assert answer is not None  # end of input is "quit"
            try:
                result = free.answer(answer)
            except RecognitionError:
                out.line(t("empty_answer", language))
                break
            out.line(t("heard_as", language, label=heard_label(result.recognition.act, language)))
            if isinstance(result, Answered):
                _taken(result, out, language, exam)
                break
            if result.reason == "no_match":
                out.line(t("not_offered", language))
            out.line(t("did_you_mean", language))
            choices = session.choices()
            for n, index in enumerate(result.candidates, 1):
                out.line(f"  {n}. {choices[index].text.strip()}", hang="     ")
            options = " / ".join(str(n) for n in range(1, len(result.candidates) + 1))
            answer = _read(t("prompt_pick", language, options=options), read, out)
            if answer is not None and answer.isdigit() and 1 <= int(answer) <= len(result.candidates):
                _taken(free.pick(int(answer) - 1), out, language, exam)
                break
    show_node(session, out, language)
    print_debrief(session, language, stream)
    return "finished"


def _taken(result: Answered, out: _Out, language: str, exam: bool) -> None:
    turn = result.turn
    out.line(t("counts_as", language, text=turn.text.strip()), hang="   ")
    if not exam and turn.feedback:
        out.line(f"   {t('feedback', language)}: {turn.feedback.strip()}", hang="   ")
