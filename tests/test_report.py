"""The class report: one self-contained HTML file with the four views trainers need, checked structurally and,
where Chromium is installed, by rendering it headless and looking at the pixels."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.cli import main
from simulator.results.report import render_html
from simulator.results.store import ResultsStore


class Page(HTMLParser):
    """Collects the tags, their attributes and the visible text of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("style", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())

    def count(self, tag: str) -> int:
        return sum(1 for name, _ in self.tags if name == tag)


def group():
    return [
        make_result("Anouk de Vries", bad_card(30), minutes=0),
        make_result("Anouk de Vries", good_card(60), minutes=10),
        make_result("Anouk de Vries", good_card(90), minutes=20),
        make_result("Bram", bad_card(20), minutes=5),
        make_result("Bram", bad_card(25), minutes=15),
        make_result("Chloë Özdemir", good_card(95), minutes=8),
        make_result("Chloë Özdemir", good_card(99), minutes=30, status="abandoned"),
    ]


@pytest.fixture
def page():
    return Page(render_html(group()))


def test_the_report_is_self_contained(page):
    assert page.count("script") == 0 and page.count("link") == 0 and page.count("img") == 0
    for tag, attrs in page.tags:
        for name in ("src", "href", "srcset", "action"):
            assert name not in attrs, f"<{tag} {name}=...> would need a network or another file"
    assert page.count("svg") >= 10  # charts are inline SVG
    html = render_html(group())
    assert "url(" not in html and "@import" not in html and "http://" not in html.replace(
        "http://www.w3.org", "") and "https://" not in html


def test_per_player_scenarios_best_last_and_trend(page):
    text = page.visible
    assert re.search(r"Anouk de Vries 3 1 90 90 60 .*▲ stijgend \(\+60\)", text)
    assert re.search(r"Bram 2 1 25 25 23 .*▲ stijgend \(\+5\)", text)
    # the abandoned conversation counts as played, not in the scores
    assert re.search(r"Chloë Özdemir 2 1 afgebroken 1 95 95 95", text)
    assert "90 laatste 90 · 3×" in text


def test_per_step_the_group_average_and_who_struggles(page):
    text = page.visible
    listen = text[text.index("1. Luisteren"):text.index("2. Begrip tonen")]
    # Luisteren in order in 3 of the 6 finished conversations; Anouk missed it once (2/3), Bram both times
    assert "beoordeeld in 6 gesprekken 50% 50%" in listen
    assert "Bram 0/2" in listen and "Anouk" not in listen
    solve = text[text.index("4. Oplossing samen afstemmen"):text.index("5. Afspraken maken")]
    assert "Bram 0/2" in solve


def test_most_common_mistakes_with_rule_and_feedback(page):
    text = page.visible
    mistakes = text[text.index("Meest gemaakte fouten"):text.index("Keuzes per scenario")]
    assert "Terug naar stap 1" in mistakes
    assert "rechtvaardigen, onderbreken, terugslaan, kleineren" in mistakes  # the rubric's rule text
    assert "'Meneer, wij reageren altijd binnen twee werkdagen.'" in mistakes  # the choice
    assert "Rechtvaardigen helpt de klant niet en zet het gesprek terug naar stap 1." in mistakes  # its feedback
    assert "Bram (2×), Anouk de Vries" in mistakes
    assert re.search(r"3 Terug naar stap 1", mistakes) and re.search(r"3 Niet volgens de methode", mistakes)


def test_per_scenario_how_often_each_choice_was_taken(page):
    text = page.visible
    choices = text[text.index("Keuzes per scenario"):]
    assert "Het pakket dat nooit aankwam" in choices and "7 gesprekken" in choices
    assert re.search(r"opening · 7× bereikt .*Luisteren Laat meneer uitpraten: 'Vertelt u het maar.' 4× \(57%\) "
                     r"Rechtvaardigen 'Meneer, wij reageren altijd binnen twee werkdagen.' 3× \(43%\)", choices)
    assert "'Ik regel nú een nieuw pakket, gratis.' 0× (0%)" in choices  # offered but never taken


def test_text_from_results_is_escaped():
    html = render_html([make_result("<script>alert('x')</script>")])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_empty_selection_says_so():
    assert "Geen gesprekken gevonden voor deze selectie" in Page(render_html([])).visible


def test_english_report():
    text = Page(render_html(group(), language="en")).visible
    assert "Per step of the method" in text and "1. Listen" in text and "Back to step 1" in text


def test_the_report_command_filters_by_date_and_players(tmp_path, capsys):
    with ResultsStore.open(tmp_path / "d") as store:
        store.save_many(group())
    out = tmp_path / "klas.html"
    assert main(["report", "-o", str(out), "--data", str(tmp_path / "d"), "--since", "2026-09-01T09:09:00Z",
                 "--players", "Bram,Chloë Özdemir"]) == 0
    assert "report of 3 conversation(s)" in capsys.readouterr().out
    text = Page(out.read_text(encoding="utf-8")).visible
    assert "vanaf 2026-09-01 09:09 UTC; deelnemers: Bram, Chloë Özdemir" in text
    assert "Anouk" not in text and "Bram 1 1 25 25 25" in text
    assert main(["report", "-o", str(out), "--data", str(tmp_path / "d"), "--players", "Nobody"]) == 0
    assert "no results for Nobody (known players: Anouk de Vries, Bram, Chloë Özdemir)" in capsys.readouterr().out


def test_the_report_command_needs_an_output_file(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", "--data", str(tmp_path)])
    assert stop.value.code == 2 and "-o/--output" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------------ in Chromium
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def screenshot(html_file: Path, png: Path, height: int = 2000) -> None:
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", f"--screenshot={png}", f"--window-size=1280,{height}",
                        html_file.as_uri()], capture_output=True, timeout=120, check=True)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium chromium-driver)")
def test_the_report_renders_in_headless_chromium(tmp_path):
    import os

    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    report = tmp_path / "report.html"
    report.write_text(render_html(group()), encoding="utf-8")
    png = tmp_path / "report.png"
    screenshot(report, png, height=3400)
    image = pygame.image.load(str(png))
    assert image.get_size() == (1280, 3400)

    def pixels_of(colour: str) -> int:
        return pygame.transform.threshold(None, image, pygame.Color(colour), (0, 0, 0, 0), set_behavior=0)

    # The SVG charts are drawn: the green of "in order", the red of mistakes, the blue of the score lines.
    assert pixels_of("#2e7d4f") > 8000
    assert pixels_of("#c0392b") > 2000
    assert pixels_of("#2f6db5") > 160
    # and the page ends before the bottom of this tall window: nothing is cut off or endlessly long
    bottom = [image.get_at((x, 3390))[:3] for x in range(0, 1280, 16)]
    assert all(pixel == (0xF6, 0xF7, 0xF9) for pixel in bottom)
