"""The class report, second version: every mistake kept (chart and table agree), scenarios counted by id, templates a
trainer can restyle, and a print stylesheet checked by printing in headless Chromium and reading the PDF back."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections import Counter

import pytest

from results_samples import bad_card, good_card, make_result
from simulator.cli import main
from simulator.results.report import TEMPLATES, render_html
from simulator.results.store import ResultsStore
from test_report import Page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
PDFTOTEXT = shutil.which("pdftotext")


def many_mistakes(count=22):
    """Conversations with `count` different mistakes (each a different choice text), some made more often."""
    results = []
    for n in range(count):
        card = bad_card(20)
        card["violations"] = [{"rule": ("method", "back_to_start", "too_early")[n % 3], "node": f"punt-{n}",
                               "message": "m", "choice": f"Keuze nummer {n}", "feedback": f"Uitleg {n}"}]
        for repeat in range(1 + n % 4):
            results.append(make_result(f"Speler {n % 5}", card, minutes=n * 10 + repeat))
    return results


def test_every_mistake_is_in_the_table_and_the_chart_agrees_with_it():
    html = render_html(many_mistakes(22))
    table = html[html.index('<table class="mistakes"'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<tr><td class="num"><b>(\d+)</b></td><td><b>([^<]+)</b>', table)
    assert len(rows) == 22  # none cut
    assert len(re.findall(r"Keuze nummer \d+", table)) == 22
    assert table.count('<tbody class="more">') == 1  # rows after the first 15 fold on screen, stay in the page
    from_table = Counter()
    for count, rule in rows:
        from_table[rule] += int(count)
    chart = dict(re.findall(r'font-size="13" fill="#1f2328">([^<]+)</text><rect[^>]*/><text[^>]*>(\d+)</text>', html))
    assert {rule: int(n) for rule, n in chart.items()} == dict(from_table)
    assert "Toon alle 22 fouten" in html


def test_scenarios_are_counted_by_id_with_languages_as_a_detail():
    dutch = make_result("Anouk", good_card(80))
    english = make_result("Bram", good_card(60), minutes=3)
    english.language, english.title = "en", "The parcel that never came"
    text = Page(render_html([dutch, english])).visible
    assert re.search(r"2 gesprekken 2 deelnemers 1 scenario's", text)
    assert "pakket-kwijt · en, nl" in text
    assert re.search(r"Anouk 1 1 80", text) and re.search(r"Bram 1 1 60", text)


def test_text_is_escaped_by_the_templates_and_control_characters_are_shown():
    result = make_result("Bram")
    result.player = "Bram\x1b[31m<b>"
    result.path[0]["text"] = "<img src=x onerror=alert(1)>"
    html = render_html([result])
    assert "<img" not in html and "&lt;img src=x" in html
    assert "\x1b" not in html and "Bram\\x1b[31m&lt;b&gt;" in html


def test_a_trainer_restyles_the_report_with_own_templates(tmp_path, capsys):
    mine = tmp_path / "mijn-stijl"
    mine.mkdir()
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    (mine / "report.css").write_text(css + "\nh1{color:#8a1538}\n", encoding="utf-8")
    data = tmp_path / "d"
    with ResultsStore.open(data) as store:
        store.save(make_result())
    out = tmp_path / "klas.html"
    assert main(["report", "-o", str(out), "--templates", str(mine), "--data", str(data)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "h1{color:#8a1538}" in html and "Het pakket dat nooit aankwam" in html
    (mine / "report.html").write_text("{% if %}", encoding="utf-8")
    assert main(["report", "-o", str(out), "--templates", str(mine), "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "a template in" in err and "report.html, line 1" in err and "Traceback" not in err


def wide_class():
    """Many players with long names, many scenarios with long titles: the shape that clips columns in print."""
    results = []
    for s in range(10):
        for p in range(40):
            result = make_result(f"Deelnemer {p:02d} van den Boogaard-Vermeulen", good_card(40 + (p * 7 + s) % 60),
                                 minutes=s * 100 + p)
            result.scenario = f"scenario-{s:02d}"
            result.title = f"Scenario {s:02d}: de klant die al drie keer gebeld heeft"
            results.append(result)
    return results


@pytest.mark.skipif(CHROMIUM is None or PDFTOTEXT is None,
                    reason="needs Chromium and pdftotext (apt-get install chromium poppler-utils)")
def test_the_report_prints_on_a4_landscape_with_every_player_and_scenario_column(tmp_path):
    results = wide_class()
    html = tmp_path / "klas.html"
    html.write_text(render_html(results), encoding="utf-8")
    pdf = tmp_path / "klas.pdf"
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                        html.as_uri()], capture_output=True, timeout=180, check=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert abs(width - 841.9) < 2 and abs(height - 595.3) < 2, "A4 landscape"
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    text = subprocess.run([PDFTOTEXT, "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = re.sub(r"\s+", "", text)  # names wrap inside their cells; the letters must all be there
    players = sorted({r.player for r in results})
    for name in players:  # in the players table and in its row of the matrix
        assert squeezed.count(name.replace(" ", "")) >= 2, f"{name} is missing from the printed report"
    for s in range(10):  # every scenario column of the matrix is on paper, title and id
        assert f"Scenario{s:02d}:deklantdiealdriekeergebeldheeft" in squeezed, f"scenario {s} title clipped"
        assert f"scenario-{s:02d}·nl" in squeezed, f"scenario-{s:02d} column clipped"
    # The players table runs over pages and its header row comes back on each of them
    assert pages >= 3
    assert text.count("Gesprekken") >= 3
